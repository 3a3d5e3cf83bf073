// Route entry: the receipts list under My data (default export for React.lazy).
export { ReceiptsPage as default } from './ReceiptsPage.tsx';
