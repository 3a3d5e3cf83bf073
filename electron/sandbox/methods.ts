// Identity verification methods and their assurance levels, as the real platform ranks them (ARCHITECTURE §7; lower is stronger).
import type { SubjectType } from './data.ts';

/** What the simulated credential step asks for. */
export type CredentialKind = 'pin' | 'otp' | 'confirm';

export interface AuthMethod {
  /** Reported as `acr` and as the first `amr` entry. */
  id: string;
  level: number;
  name_zh: string;
  name_en: string;
  subject_type: SubjectType;
  credential: CredentialKind;
  /** A card that locks after three wrong PINs, as real smart cards do. */
  card: boolean;
}

export const AUTH_METHODS: readonly AuthMethod[] = [
  { id: 'moica', level: 0, name_zh: '自然人憑證', name_en: 'Citizen Digital Certificate (MOICA)', subject_type: 'natural', credential: 'pin', card: true },
  { id: 'chip-bank-card', level: 0.1, name_zh: '晶片金融卡', name_en: 'Chip bank card', subject_type: 'natural', credential: 'pin', card: true },
  { id: 'hw-bank-cert', level: 0.2, name_zh: '硬體金融憑證', name_en: 'Hardware financial certificate', subject_type: 'natural', credential: 'pin', card: true },
  { id: 'moeaca', level: 0.5, name_zh: '工商憑證', name_en: 'Business certificate (MOEACA)', subject_type: 'legal', credential: 'pin', card: true },
  { id: 'tw-fido', level: 1, name_zh: 'TW FidO／行動自然人憑證', name_en: 'TW FidO / mobile citizen certificate', subject_type: 'natural', credential: 'confirm', card: false },
  { id: 'nhi-card', level: 2, name_zh: '健保卡', name_en: 'National Health Insurance card', subject_type: 'natural', credential: 'pin', card: false },
  { id: 'sw-bank-cert', level: 2.1, name_zh: '軟體金融憑證', name_en: 'Software financial certificate', subject_type: 'natural', credential: 'pin', card: false },
  { id: 'dual-id', level: 3, name_zh: '雙證件', name_en: 'Two identity documents', subject_type: 'natural', credential: 'confirm', card: false },
  { id: 'otp', level: 4, name_zh: 'Email／簡訊一次性密碼', name_en: 'Email / SMS one-time code', subject_type: 'natural', credential: 'otp', card: false },
];

export function methodById(id: string): AuthMethod | undefined {
  return AUTH_METHODS.find((m) => m.id === id);
}

