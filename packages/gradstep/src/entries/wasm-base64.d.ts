/** Virtual modules made by tsup.config.ts: the bytes of wasm/{simd,scalar}/gradstep_wasm_bg.wasm in base64. */
declare module 'gradstep-wasm-base64:*' {
  const base64: string;
  export default base64;
}
