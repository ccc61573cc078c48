import { defineConfig } from 'vite';

// The console is served by api-gateway (Spring Boot) from classpath:/static/: index.html at /, assets under /assets/.
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` against a gateway on localhost:8080 (the SSE stream included).
    proxy: { '/v1': 'http://localhost:8080' },
  },
});
