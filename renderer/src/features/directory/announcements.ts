// directory feature: the announcements screen (default export for React.lazy).
export { AnnouncementsPage as default } from './AnnouncementsPage.tsx';
