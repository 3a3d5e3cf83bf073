// The design-system pieces features build screens from.
export { Dialog } from './Dialog.tsx';
export { ErrorView } from './ErrorView.tsx';
export { PageHeading } from './PageHeading.tsx';
export { RadioGroup, type RadioOption } from './RadioGroup.tsx';
export { RouteFocusProvider } from './route-focus.tsx';
