// Starts the wasm. Trunk would inline this as a <script type="module">, which the page's
// Content-Security-Policy (index.html) forbids; instead Trunk.toml's `pattern_script` writes
// <script type="module" src="boot.js" data-js="…" data-wasm="…"> with the hashed file names,
// and this file, served from the page's own origin, imports them.
const tag = document.querySelector('script[data-sgplay-js]');
const base = new URL('.', document.baseURI);
const { default: init } = await import(new URL(tag.dataset.sgplayJs, base).href);
await init({ module_or_path: new URL(tag.dataset.sgplayWasm, base).href });
