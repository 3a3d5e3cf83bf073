// Public surface of the i18n module.
export { I18nProvider, useI18n, type I18n } from './context.tsx';
export { formatDate, hasMessage, isCatalogueLoaded, loadCatalogue, otherLanguage, pick, pickField, translate, DEFAULT_LANGUAGE, type MessageKey } from './catalogues.ts';
