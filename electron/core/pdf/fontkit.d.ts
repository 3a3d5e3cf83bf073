// The one fontkit 2 entry point the PDF adapters of core and the sandbox use (fontkit ships no types).
declare module 'fontkit' {
  export function create(bytes: Uint8Array, postscriptName?: string): unknown;
}
