// directory feature: the organisations screen (default export for React.lazy).
export { OrganizationsPage as default } from './OrganizationsPage.tsx';
