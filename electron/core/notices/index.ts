// Public surface of the notices core: the office calendar's working days and announcement rules (G7, G13, G16).
export * from './calendar.ts';
export * from './classify.ts';
