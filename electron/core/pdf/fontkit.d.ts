// The one fontkit 2 entry point core's PDF adapter uses (fontkit ships no types); same shape as the sandbox's.
declare module 'fontkit' {
  export function create(buffer: Buffer, postscriptName?: string): unknown;
}
