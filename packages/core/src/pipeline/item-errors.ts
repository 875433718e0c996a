/**
 * Recording a problem on an item: every stage of the pipeline adds its errors
 * and warnings the same way, so the item is kept (never dropped) and says why.
 */
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ItemError } from '../model/reason.js';

export function pushError(item: EvidenceItem, error: ItemError): void {
  item.errors.push(error);
}
