/** The three read operations over the catalogue, each paged with NextToken and MaxResults (default 100). */
import type { Catalogue } from "./catalogue.js";
import { matchAll } from "./filters.js";
import type { Paging } from "./paging.js";
import {
  ApiError,
  describeServicesRequest,
  getAttributeValuesRequest,
  getProductsRequest,
  parseRequest,
} from "./protocol.js";

const DEFAULT_PAGE = 100;

function page<T>(paging: Paging, query: unknown, items: readonly T[], token?: string, max?: number) {
  const start = paging.offsetOf(query, token);
  if (start > items.length)
    throw new ApiError("InvalidNextTokenException", "The pagination token is invalid.");
  const end = Math.min(items.length, start + (max ?? DEFAULT_PAGE));
  return { items: items.slice(start, end), next: end < items.length ? paging.issue(query, end) : undefined };
}

function productsOf(catalogue: Catalogue, serviceCode: string) {
  const products = catalogue.products.get(serviceCode);
  if (!products) throw new ApiError("NotFoundException", `Service ${serviceCode} is not found.`);
  return products;
}

export function getProducts(catalogue: Catalogue, paging: Paging, body: unknown) {
  const request = parseRequest(getProductsRequest, body);
  const filters = request.Filters ?? [];
  const matching = matchAll(productsOf(catalogue, request.ServiceCode), filters);
  const query = ["GetProducts", request.ServiceCode, filters];
  const { items, next } = page(paging, query, matching, request.NextToken, request.MaxResults);
  return {
    FormatVersion: "aws_v1",
    PriceList: items.map((product) => product.priceListItem),
    ...(next ? { NextToken: next } : {}),
  };
}

export function describeServices(catalogue: Catalogue, paging: Paging, body: unknown) {
  const request = parseRequest(describeServicesRequest, body);
  const codes = request.ServiceCode ? [request.ServiceCode] : [...catalogue.attributeNames.keys()].sort();
  if (request.ServiceCode) productsOf(catalogue, request.ServiceCode);
  const query = ["DescribeServices", request.ServiceCode ?? ""];
  const { items, next } = page(paging, query, codes, request.NextToken, request.MaxResults);
  return {
    FormatVersion: "aws_v1",
    Services: items.map((code) => ({
      ServiceCode: code,
      AttributeNames: [...(catalogue.attributeNames.get(code) ?? [])],
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

export function getAttributeValues(catalogue: Catalogue, paging: Paging, body: unknown) {
  const request = parseRequest(getAttributeValuesRequest, body);
  const products = productsOf(catalogue, request.ServiceCode);
  if (!catalogue.attributeNames.get(request.ServiceCode)?.includes(request.AttributeName)) {
    throw new ApiError("NotFoundException", `Attribute ${request.AttributeName} is not found.`);
  }
  const values = new Set<string>();
  for (const product of products) {
    const value = product.attributes[request.AttributeName];
    if (value !== undefined) values.add(value);
  }
  const query = ["GetAttributeValues", request.ServiceCode, request.AttributeName];
  const { items, next } = page(paging, query, [...values].sort(), request.NextToken, request.MaxResults);
  return { AttributeValues: items.map((Value) => ({ Value })), ...(next ? { NextToken: next } : {}) };
}
