// services feature: the service detail screen (default export for React.lazy).
export { ServiceDetailPage as default } from './ServiceDetailPage.tsx';
