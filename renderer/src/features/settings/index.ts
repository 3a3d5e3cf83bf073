// Settings feature: public entry (default export for React.lazy).
export { SettingsPage as default } from './SettingsPage.tsx';
