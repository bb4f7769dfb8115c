import { describe, expect, it } from "vitest";
import { JsonRpcErrorCode, parseJsonRpcMessage } from "./json-rpc.js";

const parse = (text: string) => parseJsonRpcMessage(Buffer.from(text, "utf8"));

describe(parseJsonRpcMessage.name, () => {
  it.each([
    ['{"jsonrpc":"2.0","id":1,"method":"tools/list"}', "request"],
    ['{"jsonrpc":"2.0","id":"a-1","method":"tools/call","params":{"name":"echo"}}', "request"],
    ['{"jsonrpc":"2.0","method":"notifications/initialized"}', "notification"],
    ['{"jsonrpc":"2.0","id":"sb_x","result":{}}', "response"],
    ['{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}}', "response"],
  ])("accepts %s as a %s", (text, kind) => {
    const outcome = parse(text);
    expect(outcome.ok && outcome.value.kind).toBe(kind);
  });

  it("answers a body that is not JSON with a parse error and a null id", () => {
    expect(parse('{"jsonrpc":"2.0",')).toEqual({
      ok: false,
      error: { jsonrpc: "2.0", id: null, error: { code: JsonRpcErrorCode.parseError, message: expect.any(String) } },
    });
  });

  it.each([
    ["a batch", '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', null],
    ["a scalar", "42", null],
    ["null", "null", null],
    ["a wrong version", '{"jsonrpc":"1.0","id":1,"method":"ping"}', 1],
    ["a missing version", '{"id":"x","method":"ping"}', "x"],
    ["positional params", '{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}', 1],
    ["scalar params", '{"jsonrpc":"2.0","id":1,"method":"ping","params":"p"}', 1],
    ["a null id", '{"jsonrpc":"2.0","id":null,"method":"ping"}', null],
    ["an object id", '{"jsonrpc":"2.0","id":{},"method":"ping"}', null],
    ["an empty method", '{"jsonrpc":"2.0","id":1,"method":""}', 1],
    ["a non-string method", '{"jsonrpc":"2.0","id":1,"method":5}', 1],
    ["a response with both result and error", '{"jsonrpc":"2.0","id":1,"result":{},"error":{}}', 1],
    ["a response without an id", '{"jsonrpc":"2.0","result":{}}', null],
  ])("refuses %s as an invalid request", (_name, text, id) => {
    const outcome = parse(text);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.error.code).toBe(JsonRpcErrorCode.invalidRequest);
      expect(outcome.error.id).toBe(id);
    }
  });
});
