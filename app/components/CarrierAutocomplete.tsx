import { useMemo, useState } from "react";
import { Autocomplete } from "@shopify/polaris";
import type { CarrierOption } from "~/fulfillment/carriers";
import { searchCarriers } from "~/fulfillment/carrier-search";

/**
 * A searchable carrier select that still accepts free text: Shopify takes any company
 * name (an unknown one just gets no tracking link), so the operator is never blocked;
 * the server flags what it cannot match.
 *
 * The field shows a chosen carrier as the shipments table does — in ja by its Japanese
 * name (ヤマト運輸 (日本語)), in en by Shopify's company name — and submits Shopify's
 * company name ("Yamato (JA)") in a hidden input under `name`; free text goes as typed.
 */
export function CarrierAutocomplete({
  name,
  label,
  placeholder,
  options,
  defaultValue,
  showLabels,
  error,
  onValue,
}: {
  name: string;
  label: string;
  placeholder: string;
  options: CarrierOption[];
  /** Shopify's company name as stored. */
  defaultValue: string;
  /** Show a chosen carrier by its option label (ja) rather than Shopify's name (en). */
  showLabels: boolean;
  error?: string;
  /** Told every value the field would submit (chosen or typed). */
  onValue?: (value: string) => void;
}) {
  const labelOf = (value: string) =>
    showLabels ? (options.find((o) => o.value === value)?.label ?? value) : value;
  const [submitted, setSubmitted] = useState(defaultValue);
  const [text, setText] = useState(() => labelOf(defaultValue));
  const [selected, setSelected] = useState<string[]>(defaultValue ? [defaultValue] : []);
  const submit = (value: string) => {
    setSubmitted(value);
    onValue?.(value);
  };

  const filtered = useMemo(
    () => searchCarriers(options, text, 30).map((o) => ({ value: o.value, label: o.label })),
    [options, text],
  );

  return (
    <>
      <Autocomplete
        options={filtered}
        selected={selected}
        onSelect={(chosen) => {
          const value = chosen[0] ?? "";
          setSelected(chosen);
          setText(labelOf(value));
          submit(value);
        }}
        textField={
          <Autocomplete.TextField
            label={label}
            value={text}
            onChange={(typed) => {
              setText(typed);
              // A label typed out in full is that carrier; anything else goes as typed.
              const exact = options.find((o) => o.label === typed.trim());
              submit(exact ? exact.value : typed);
            }}
            placeholder={placeholder}
            autoComplete="off"
            error={error}
          />
        }
      />
      <input type="hidden" name={name} value={submitted} />
    </>
  );
}
