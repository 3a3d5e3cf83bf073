// Route entry of /verify (default export for React.lazy).
export { VerifyPage as default } from './VerifyPage.tsx';
