import { describe, expect, it } from 'vitest';
import { negotiate } from '#domain/media-type';

const OFFERS = ['application/json', 'text/html', 'application/pdf'];

describe('choosing a representation from the Accept header', () => {
  it('gives the default (the first offer) without a header, with */*, or with a header it cannot read', () => {
    expect(negotiate(undefined, OFFERS)).toBe('application/json');
    expect(negotiate('*/*', OFFERS)).toBe('application/json');
    expect(negotiate('', OFFERS)).toBe('application/json');
    expect(negotiate('garbage; ;;', OFFERS)).toBe('application/json');
  });

  it('gives what a browser asks for: HTML over the */* it also accepts', () => {
    // Chromium's Accept for a page.
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8';
    expect(negotiate(browser, OFFERS)).toBe('text/html');
  });

  it('follows q-values, and between equal ones the client’s order', () => {
    expect(negotiate('application/json;q=0.5, application/pdf', OFFERS)).toBe('application/pdf');
    expect(negotiate('application/pdf, text/html', OFFERS)).toBe('application/pdf');
    expect(negotiate('text/html, application/pdf', OFFERS)).toBe('text/html');
    expect(negotiate('APPLICATION/PDF', OFFERS)).toBe('application/pdf');
    expect(negotiate('text/*', OFFERS)).toBe('text/html');
    expect(negotiate('application/*;q=0.3, text/html;q=0.2', OFFERS)).toBe('application/json');
  });

  it('lets a more specific range overrule a wildcard, also to refuse (q=0)', () => {
    expect(negotiate('*/*, application/json;q=0', OFFERS)).toBe('text/html');
    expect(negotiate('application/*, application/json;q=0', OFFERS)).toBe('application/pdf');
  });

  it('accepts none when nothing offered is named, or everything named has q=0 (a 406)', () => {
    expect(negotiate('image/png', OFFERS)).toBeUndefined();
    expect(negotiate('text/plain, image/*', OFFERS)).toBeUndefined();
    expect(negotiate('*/*;q=0', OFFERS)).toBeUndefined();
  });

  it('ignores ranges that are not media ranges, and a q that is not a quality', () => {
    expect(negotiate('*/html, application/pdf', OFFERS)).toBe('application/pdf');
    expect(negotiate('application/pdf;q=2, text/html', OFFERS)).toBe('text/html');
    expect(negotiate('application/pdf;q=abc', OFFERS)).toBe('application/json');
  });
});
