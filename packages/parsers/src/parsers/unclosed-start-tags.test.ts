/**
 * Start tags and dictionaries that never close, in the readers that search them in whole streams (a PDF's
 * encryption dictionary, an Office EncryptionInfo stream, an ADEPT rights document). A `[^>]*` run searched
 * to the end of the text from each of many unclosed starts (quadratic): the runs now stop at the next `<`.
 */
import { describe, expect, it } from 'vitest';
import { rightsKeyBytes } from './epub-encryption.js';
import { agileOpens } from './office-verifier.js';
import { readSecurity } from './pdf-encryption.js';

const MANY = 200_000;

describe('unclosed start tags in whole-stream readers', () => {
  it("a PDF encryption dictionary's StdCF filter method is read; 200,000 unclosed '/StdCF<<' are not searched to the end", () => {
    const dict = (cf: string) =>
      `%PDF-1.6\n1 0 obj\n<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << ${cf} >> /StmF /StdCF /StrF /StdCF /P -4 /O <00> /U <00> >>\nendobj\ntrailer << /Encrypt 1 0 R >>\n`;
    expect(readSecurity(dict('/StdCF << /AuthEvent /DocOpen /CFM /AESV2 /Length 16 >>'))).toMatchObject({ v: 4, r: 4 });
    const hostile = readSecurity(dict('//StdCF<<'.repeat(MANY)));
    expect(hostile).toMatchObject({ v: 4, r: 4 });
  });

  it('the last of many /Encrypt references and objects is the one read (matches are not all kept: 57 MB passed the heap cap)', () => {
    const doc = (v: number) =>
      `1 0 obj\n<< /Filter /Standard /V ${v} /R ${v + 1} /Length 128 /O <00> /U <00> /P -4 >>\nendobj\n`;
    const text = `%PDF-1.4\n${doc(1)}${'/Encrypt 1 0 R '.repeat(50_000)}${doc(2)}trailer << /Encrypt 1 0 R /ID [<0102><0304>] >>\n`;
    expect(readSecurity(text)).toMatchObject({ v: 2, r: 3 });
  });

  it("an Office agile EncryptionInfo with 200,000 unclosed '<encryptedKey' has no password key encryptor", async () => {
    const info = Buffer.concat([
      Buffer.alloc(8),
      Buffer.from('<?xml version="1.0"?><encryption>' + '<p:encryptedKey '.repeat(MANY)),
    ]);
    expect(await agileOpens(info, 'VelvetSweatshop')).toEqual({ skipped: 'no password key encryptor' });
  });

  it("an ADEPT rights document's wrapped key is measured; 200,000 unclosed '<encryptedKey' are not", () => {
    const key = Buffer.alloc(128, 7).toString('base64');
    const rights = (body: string) => `<adept:rights xmlns:adept="http://ns.adobe.com/adept">${body}</adept:rights>`;
    expect(rightsKeyBytes(rights(`<encryptedKey keyInfo="user">${key}</encryptedKey>`))).toBe(128);
    expect(rightsKeyBytes(rights('<encryptedKey '.repeat(MANY)))).toBeUndefined();
  });
});
