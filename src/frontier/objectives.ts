// Objectives as values to maximise, read from scored rows and from CSV records (names decoded by
// schema/vocab.ts objectiveColumnName).
import { C } from "../model/result.ts";
import { objectiveColumnName, type Objective } from "../schema/vocab.ts";

/** The result column an objective reads and the sign that makes it a value to maximise. */
export function objectiveColumn(objective: Objective): { column: string; col: number; sign: number } {
  const { column, sign } = objectiveColumnName(objective);
  return { column, col: C[column as keyof typeof C], sign };
}

/** objectiveColumn of each objective, as typed arrays for the hot loop. */
export function objectiveColumns(objectives: readonly Objective[]): { col: Int32Array; sign: Float64Array } {
  const cs = objectives.map(objectiveColumn);
  return { col: Int32Array.from(cs, (c) => c.col), sign: Float64Array.from(cs, (c) => c.sign) };
}

/** Objective value of a scored row (a row of NCOLS values starting at `o`). */
export function objectiveValue(row: Float64Array, o: number, objective: Objective): number {
  const { col, sign } = objectiveColumn(objective);
  return sign * row[o + col]!;
}

/** Objective value of a point read back from a CSV record (columns by name, as in frontier.csv). */
export function objectiveValueOfRecord(record: Record<string, string>, objective: Objective): number {
  const { column, sign } = objectiveColumn(objective);
  return sign * Number(record[column]);
}
