// Starts Rewind: loads the wasm-bindgen glue and the WebAssembly module, as Trunk's own inline
// start-up script would. It is a file of its own because the Content-Security-Policy in index.html
// forbids inline script. Trunk.toml's `pattern_script` writes the <script> that loads this file,
// with the hashed names of the glue and the module in its data-rewind-js and data-rewind-wasm.
const boot = document.querySelector('script[data-rewind-js][data-rewind-wasm]');
const bindings = await import(boot.dataset.rewindJs);
const wasm = await bindings.default({ module_or_path: boot.dataset.rewindWasm });
// As Trunk does: the exports (the benchmarks call window.wasmBindings) and the start event.
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
