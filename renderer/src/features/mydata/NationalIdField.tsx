// The national-ID field, where an import or a PDF asks for the ID that protects it: typed in capitals, never autofilled or
// spell-checked, with its hint and (when the last try was wrong) its error read out with it.
import { useId } from 'react';

export function NationalIdField(props: {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  /** Said with role=alert and tied to the field when the last ID did not open the file. */
  error?: string | null;
  /** Only where the field replaces what the person just asked to open. */
  autoFocus?: boolean;
}) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const error = props.error ?? null;
  return (
    <>
      <label htmlFor={inputId}>{props.label}</label>
      <input
        id={inputId}
        className="text-input"
        type="password"
        autoComplete="off"
        spellCheck={false}
        maxLength={10}
        required
        // eslint-disable-next-line jsx-a11y/no-autofocus -- only set where the field replaces what the person just opened
        autoFocus={props.autoFocus}
        aria-describedby={error === null ? hintId : `${hintId} ${errorId}`}
        aria-invalid={error !== null}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value.toUpperCase())}
      />
      <p id={hintId} className="mydata-hint">
        {props.hint}
      </p>
      {error !== null && (
        <p id={errorId} role="alert" className="field-error">
          {error}
        </p>
      )}
    </>
  );
}
