// The design-system pieces features build screens from.
export { Dialog, type DialogProps } from './Dialog.tsx';
export { ErrorView } from './ErrorView.tsx';
export { NotYetAvailable } from './NotYetAvailable.tsx';
export { PageHeading } from './PageHeading.tsx';
export { RadioGroup, type RadioOption } from './RadioGroup.tsx';
export { RouteFocusProvider } from './route-focus.tsx';
