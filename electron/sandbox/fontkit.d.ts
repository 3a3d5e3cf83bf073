// The one fontkit 2 entry point the sandbox's PDF adapter uses (fontkit ships no types).
declare module 'fontkit' {
  export function create(buffer: Buffer, postscriptName?: string): unknown;
}
