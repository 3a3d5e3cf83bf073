// mydata feature: public entry (default export for React.lazy).
export { MyDataPage as default } from './MyDataPage.tsx';
