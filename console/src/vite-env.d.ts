/** `import url from './file.ts?worker&url'`: Vite bundles the file on its own and gives its URL (same origin). */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
