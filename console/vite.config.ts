import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser client library (../clients/js) is built into the console from its sources.
const voiceClient = fileURLToPath(new URL('../clients/js/src', import.meta.url));

// The console is served by api-gateway (Spring Boot) from classpath:/static/: index.html at /, assets under /assets/.
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: {
    alias: [
      { find: /^@sipai\/voice-client$/, replacement: `${voiceClient}/index.ts` },
      { find: /^@sipai\/voice-client\/(.*)$/, replacement: `${voiceClient}/$1` },
    ],
  },
  // The AudioWorklet processors (imported with ?worker&url) are separate same-origin files, as the page's CSP
  // (script-src 'self') requires; audioWorklet.addModule() loads them as modules.
  worker: { format: 'es' },
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` against a gateway on localhost:8080 (the SSE stream included).
    proxy: { '/v1': 'http://localhost:8080' },
    fs: { allow: ['.', voiceClient] },
  },
});
