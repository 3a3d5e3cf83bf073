// The shell's entry: only the header badge, so the verification step stays in its lazily loaded chunk.
export { IdentityBadge } from './IdentityBadge.tsx';
