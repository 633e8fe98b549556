import { describe, expect, it } from 'vitest';
import { apiGatewayBody } from '../../bin/local/server.ts';

const windows1251Stop = Buffer.from([0xd1, 0xd2, 0xce, 0xcf]); // "СТОП"

describe('the local server hands a request body to the handlers as API Gateway HTTP API does', () => {
  it.each([
    ['application/json', Buffer.from('{"a":"Привет"}'), { body: '{"a":"Привет"}', isBase64Encoded: false }],
    ['application/json; charset=utf-8', Buffer.from('{}'), { body: '{}', isBase64Encoded: false }],
    ['text/plain', Buffer.from('СТОП'), { body: 'СТОП', isBase64Encoded: false }],
    ['application/xml', Buffer.from('<a/>'), { body: '<a/>', isBase64Encoded: false }],
    // API Gateway base64-encodes a form, even a plain ASCII one, and a body with no declared type.
    ['application/x-www-form-urlencoded', Buffer.from('a=1'), { body: 'YT0x', isBase64Encoded: true }],
    [undefined, Buffer.from('{}'), { body: 'e30=', isBase64Encoded: true }],
    ['application/octet-stream', Buffer.from([0xff, 0x00]), { body: '/wA=', isBase64Encoded: true }],
    // Declared as text but not UTF-8: base64 keeps every byte (a string would replace them).
    ['text/plain; charset=windows-1251', windows1251Stop, { body: '0dLOzw==', isBase64Encoded: true }],
  ])('content type %s', (contentType, bytes, expected) => {
    expect(apiGatewayBody(bytes, contentType)).toEqual(expected);
  });

  it('passes no body for an empty one', () => {
    expect(apiGatewayBody(Buffer.alloc(0), 'application/json')).toEqual({ isBase64Encoded: false });
  });
});
