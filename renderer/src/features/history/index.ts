// history feature: public entry (default export for React.lazy).
export { HistoryPage as default } from './HistoryPage.tsx';
