// Vite's `?url` import of pdf.js's prebuilt worker: the path the file is served from, an asset of the app's own origin.
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
