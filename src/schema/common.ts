// Shared schema pieces: ids, sources, positive quantities.
import Type from "typebox";

/** Catalog ids: lowercase, digits, '-', '+', '.', as in the calibration vocabulary (e.g. xeon-platinum-8460y+). */
export const Id = Type.String({ pattern: "^[a-z0-9][a-z0-9+.-]*$", maxLength: 80, description: "lowercase id" });

export const Positive = (description: string, maximum = 1e15) =>
  Type.Number({ exclusiveMinimum: 0, maximum, description });
export const NonNegative = (description: string, maximum = 1e15) => Type.Number({ minimum: 0, maximum, description });
export const PositiveInt = (description: string, maximum = 1e12) => Type.Integer({ minimum: 1, maximum, description });

export const Source = Type.Object(
  {
    ref: Type.String({ minLength: 1, maxLength: 1000, description: "URL, document or repository:path" }),
    supports: Type.String({ minLength: 1, maxLength: 1000, description: "which figures this source supports" }),
  },
  { additionalProperties: false },
);
export const Sources = Type.Array(Source, { minItems: 1, maxItems: 50, description: "where every figure comes from" });
/** field name -> how a figure no source gives was derived from ones that do */
export const Derived = Type.Record(Type.String({ maxLength: 80 }), Type.String({ maxLength: 1000 }), {
  description: "field -> how it was derived from sourced figures",
});
export const Notes = Type.String({ maxLength: 2000 });

/**
 * Schema keyword naming the kind of catalog id a field holds ("systems", "accelerators", ..., "cloud_providers").
 * The emitted JSON Schema (emit.ts) replaces it by the built-in catalog's ids as an `enum`, for editor completion,
 * with the id pattern as a fallback so ids from a --catalog folder still validate.
 */
export const CATALOG_ID_KEYWORD = "x-recsweep-catalog";
/** Schema keyword naming the hardware/tco.json field ("pue", ...) whose built-in value is the field's default; the
 *  emitted JSON Schema states it as `default`. */
export const TCO_DEFAULT_KEYWORD = "x-recsweep-default-from-tco";

/** A catalog id of one kind: the Id pattern, marked for the emitted schema's enum of built-in ids. */
export const CatalogId = (kind: string, description = `a ${kind} id from the catalog`, extra: object = {}) =>
  Type.String({
    pattern: "^[a-z0-9][a-z0-9+.-]*$",
    maxLength: 80,
    description,
    ...extra,
    [CATALOG_ID_KEYWORD]: kind,
  });
