import { describe, expect, it } from "vitest";
import { DecimalError, canonicalDecimal, compareDecimal, decimalFromNumber, fromScaled, multiplyDecimals, normalizeDecimal, toScaled } from "./decimal.ts";

describe("canonicalDecimal", () => {
  it.each([
    ["43120", "43120"],
    ["43120.0", "43120"],
    ["0.00000000", "0"],
    ["0", "0"],
    ["-0.000", "0"],
    ["0.00001234", "0.00001234"],
    ["43123.45", "43123.45"],
    ["43123.4500", "43123.45"],
    ["0.00000001", "0.00000001"],
    ["99999999.99999999", "99999999.99999999"],
    ["00012.50", "12.5"],
    ["1e-8", "0.00000001"],
    ["1E-8", "0.00000001"],
    ["1.5e3", "1500"],
    ["12.345e1", "123.45"],
    ["4312345e-2", "43123.45"],
    ["0e10", "0"],
    ["-2.50", "-2.5"],
    ["0.000000000000000001", "0.000000000000000001"],
  ])("%s → %s", (wire, canonical) => {
    expect(canonicalDecimal(wire)).toBe(canonical);
  });

  it.each(["", "-", ".5", "5.", "+5", " 5", "5 ", "1,5", "NaN", "Infinity", "0x10", "1e", "1e+", "--1", "1.2.3", "0.0000000000000000001", "1e999", "1".repeat(31)])(
    "rejects %j",
    (wire) => {
      expect(canonicalDecimal(wire)).toBeNull();
      expect(() => normalizeDecimal(wire)).toThrow(DecimalError);
    },
  );
});

describe("scaled integers", () => {
  it.each(["0.00001234", "43123.45", "0.00000001", "99999999.99999999", "43120", "0", "-17.25", "123456789012345678901234.5"])(
    "round-trips %s exactly",
    (wire) => {
      const scaled = toScaled(wire);
      expect(fromScaled(scaled)).toBe(canonicalDecimal(wire));
    },
  );

  it("uses the documented 1e-18 scale", () => {
    expect(toScaled("0.00000001")).toBe(10_000_000_000n);
    expect(toScaled("99999999.99999999")).toBe(99_999_999_999_999_990_000_000_000n);
    expect(toScaled("1e-8")).toBe(10_000_000_000n);
    expect(toScaled("43123.45", 8)).toBe(4_312_345_000_000n);
    expect(fromScaled(4_312_345_000_000n, 8)).toBe("43123.45");
  });

  it("refuses to round", () => {
    expect(() => toScaled("0.123456789", 8)).toThrow(DecimalError);
    expect(fromScaled(0n)).toBe("0");
    expect(fromScaled(-5n, 1)).toBe("-0.5");
  });
});

describe("compareDecimal", () => {
  const ordered = ["-100", "-2.5", "-2.05", "0", "0.00000001", "0.05", "0.5", "1", "1.05", "1.5", "9.99", "10", "99999999.99999999", "100000000"];
  it("orders canonical strings numerically", () => {
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(compareDecimal(ordered[i]!, ordered[j]!))).toBe(Math.sign(i - j));
      }
    }
  });
});

describe("decimals at the float boundary", () => {
  it("keeps a float's shortest text and rounds longer ones to the scale", () => {
    expect(decimalFromNumber(0.1)).toBe("0.1");
    expect(decimalFromNumber(1e-7)).toBe("0.0000001");
    expect(decimalFromNumber(43120)).toBe("43120");
    expect(decimalFromNumber(0.1 * 0.3 * 0.001)).toBe("0.00003");
    expect(() => decimalFromNumber(Number.NaN)).toThrow(DecimalError);
  });

  it("multiplies exactly, rounding only past 18 fraction digits", () => {
    expect(multiplyDecimals("0.1", "0.3", "0.001")).toBe("0.00003");
    expect(multiplyDecimals("43120.5", "0.00123", "0.0026")).toBe("0.137899359");
    expect(multiplyDecimals("0.000000001", "0.000000001", "0.5")).toBe("0.000000000000000001");
    expect(multiplyDecimals("-2", "0.25")).toBe("-0.5");
  });
});
