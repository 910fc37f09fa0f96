import { useMemo, useState } from "react";
import { Autocomplete } from "@shopify/polaris";
import type { CarrierOption } from "~/fulfillment/carriers";
import { searchCarriers } from "~/fulfillment/carrier-search";

/**
 * A searchable carrier select that still accepts free text: Shopify takes any company
 * name (an unknown one just gets no tracking link), so the operator is never blocked;
 * the server flags what it cannot match.
 */
export function CarrierAutocomplete({
  name,
  label,
  placeholder,
  options,
  defaultValue,
  error,
  onValue,
}: {
  name: string;
  label: string;
  placeholder: string;
  options: CarrierOption[];
  defaultValue: string;
  error?: string;
  /** Told every value the field takes (typed or chosen). */
  onValue?: (value: string) => void;
}) {
  const [value, setValueState] = useState(defaultValue);
  const setValue = (next: string) => {
    setValueState(next);
    onValue?.(next);
  };
  const [selected, setSelected] = useState<string[]>(defaultValue ? [defaultValue] : []);

  const filtered = useMemo(
    () => searchCarriers(options, value, 30).map((o) => ({ value: o.value, label: o.label })),
    [options, value],
  );

  return (
    <Autocomplete
      options={filtered}
      selected={selected}
      onSelect={(chosen) => {
        setSelected(chosen);
        setValue(chosen[0] ?? "");
      }}
      textField={
        <Autocomplete.TextField
          label={label}
          name={name}
          value={value}
          onChange={setValue}
          placeholder={placeholder}
          autoComplete="off"
          error={error}
        />
      }
    />
  );
}
