import { describe, expect, it } from "vitest";
import { mediaType } from "./http.js";

describe("mediaType", () => {
  it.each([
    ["application/json", "application/json"],
    ["Application/JSON; charset=utf-8", "application/json"],
    ["application/x-www-form-urlencoded;charset=UTF-8", "application/x-www-form-urlencoded"],
    [" \tapplication/json ; charset=utf-8", "application/json"],
    ["application/vnd.api+json", "application/vnd.api+json"],
  ])("reads %j as %j", (header, type) => {
    expect(mediaType(header)).toBe(type);
  });

  it.each([
    // JavaScript's trim() would drop these; HTTP's optional whitespace is only space and tab.
    ["\u00a0application/x-www-form-urlencoded"],
    ["\ufeffapplication/json"],
    ["\u2028application/json"],
    ["application/json\u00a0"],
    ["application /json"],
    ["application/"],
    ["/json"],
    ["json"],
    ["application/json/x"],
    ["application/json, text/plain"],
    ["appl(cation/json"],
    [""],
  ])("reads %j as no media type at all", (header) => {
    expect(mediaType(header)).toBeUndefined();
  });

  it("reads a missing header as none", () => {
    expect(mediaType(undefined)).toBeUndefined();
  });
});
