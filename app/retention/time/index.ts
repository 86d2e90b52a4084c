/** The one time library: calendar dates and shop time zones (pure; no date package). */
export * from "./calendar";
export * from "./time-zone";
