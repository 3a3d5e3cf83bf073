// Route entry: the consent screen for a catalogue service (default export for React.lazy).
export { ServiceConsentPage as default } from './ConsentPages.tsx';
