/**
 * The two WebAssembly calls the 7-Zip opener makes, typed here: the project's TypeScript settings (lib ES2023,
 * types node) carry no WebAssembly declarations. A compiled module can be handed to a worker thread (workerData).
 */
import { createRequire } from 'node:module';

/** 7-Zip's WebAssembly code, beside the 7z-wasm package's entry. */
export const SEVENZIP_WASM_FILE = createRequire(import.meta.url)
  .resolve('7z-wasm')
  .replace(/[^/]+$/, '7zz.wasm');

export type CompiledWasm = object;
export type WasmInstance = object;

interface WasmApi {
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  instantiate(module: CompiledWasm, imports: object): Promise<WasmInstance>;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
