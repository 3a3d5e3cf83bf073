// Route entry: one receipt, with its PDF (default export for React.lazy).
export { ReceiptPage as default } from './ReceiptsPage.tsx';
