// English messages of the identity feature: one entry for every key of messages.zh-TW.ts.
import type { identityZhTW } from './messages.zh-TW.ts';

export const identityEn: Readonly<Record<keyof typeof identityZhTW, string>> = {
  'identity.page.title': 'Verify your identity',
  'identity.page.intro':
    'Prove who you are with an identity provider the platform accredits, in your system browser. The result is kept only in memory while the app runs and is never written to your computer.',
  'identity.page.current': 'You are verified as {name} ({maskedId}). Verifying again replaces the current verification.',

  'identity.step.reason': 'Why verification is needed',
  'identity.step.requiredLevel': 'This needs verification at level {level} or stronger (lower numbers are stronger).',
  'identity.step.anyLevel': 'Any accredited method will do (lower level numbers are stronger).',
  'identity.choose.heading': 'Choose who you are and how to verify',
  'identity.subject.legend': 'Verify as',
  'identity.subject.natural': 'Individual',
  'identity.subject.natural.description': 'Verify as yourself, to obtain your own data.',
  'identity.subject.legal': 'Company representative',
  'identity.subject.legal.description': 'Verify on behalf of a company, to obtain its data; only the business certificate can be used.',
  'identity.subject.fixed': 'Verify as: {subject}',
  'identity.provider.legend': 'Identity provider',
  'identity.provider.loading': 'Getting the identity providers the platform accredits…',
  'identity.provider.none': 'No accredited identity provider verifies this kind of identity at the moment. Try again later.',
  'identity.provider.offers': 'Offers: {methods}',
  'identity.provider.noneQualifying': 'Offers: {methods} (none meets the level needed this time)',
  'identity.method.legend': 'Verification method',
  'identity.method.level': 'level {level}',
  'identity.method.unavailable': ' (not available)',
  'identity.method.noneQualifying': 'This provider has no method that meets the level needed this time. Choose another provider.',
  'identity.method.noneAnywhere': 'No accredited provider offers the level needed this time. The business certificate of company representatives is level 0.5, so it cannot serve data that needs level 0 to 0.4.',
  'identity.method.legalOnly': 'Company representatives can use the business certificate only.',
  'identity.start': 'Start verification in the browser',
  'identity.start.hint': 'This opens the verification page of {provider} in your system browser; the app never sees your PIN or password.',
  'identity.start.choose': 'First choose a provider and a method that can be used.',

  'identity.live.starting': 'Opening the browser…',
  'identity.live.waiting': 'The browser is open. Complete the verification there.',
  'identity.live.reopened': 'The browser was opened again.',
  'identity.live.cancelled': 'The verification was cancelled.',
  'identity.live.verified': 'Verification complete: {name}.',
  'identity.live.failed': 'The verification did not complete.',

  'identity.waiting.heading': 'Complete the verification in your browser',
  'identity.waiting.body':
    'The verification page of {provider} is open in your system browser. Verify there with the {method}; the app continues by itself when you finish.',
  'identity.waiting.bodyAnyMethod':
    'The verification page of {provider} is open in your system browser. Verify there; the app continues by itself when you finish.',
  'identity.waiting.deadline': 'If it is not finished by {time}, this verification is cancelled automatically.',
  'identity.waiting.notOpened': 'No browser appeared, or you closed the tab? Choose "Open the browser again".',
  'identity.waiting.reopen': 'Open the browser again',
  'identity.waiting.cancel': 'Cancel verification',

  'identity.result.heading': 'Identity verified',
  'identity.result.ended': 'This verification has ended (signed out, expired or replaced by a newer one); what follows is for reference only. Verify again when needed.',
  'identity.result.home': 'Back to Home',
  'identity.result.again': 'Verify again',

  'identity.error.heading': 'The verification did not complete',
  'identity.error.code': 'Error code: {code}',
  'identity.error.next': 'What you can do:',
  'identity.error.retry': 'Start the verification again',
  'identity.error.retryHint': 'Choose "Start the verification again" and complete it in the browser.',
  'identity.error.otherProvider': 'Choose another identity provider or method.',
  'identity.error.contact': 'If it keeps happening, report the problem with the error code above.',
  'identity.error.back': 'Back to the choices',

};
