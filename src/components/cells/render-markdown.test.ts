import { describe, expect, it } from 'vitest';
import { foreignTarget } from './render-markdown';

const PAGE = 'https://lakebook.example/app/#/view/nb';

describe('where a Markdown link leads', () => {
  it('names the host of a link to another origin', () => {
    expect(foreignTarget('https://login.evil.example:8443/session', PAGE)).toBe('login.evil.example:8443');
    expect(foreignTarget('http://lakebook.example/app/', PAGE)).toBe('lakebook.example');
    expect(foreignTarget('//cdn.example/x', PAGE)).toBe('cdn.example');
    expect(foreignTarget('mailto:help@evil.example', PAGE)).toBe('mail to help@evil.example');
  });

  it('says nothing of links to the page itself', () => {
    expect(foreignTarget('#/view/other', PAGE)).toBeUndefined();
    expect(foreignTarget('./docs/help.html', PAGE)).toBeUndefined();
    expect(foreignTarget('https://lakebook.example/other', PAGE)).toBeUndefined();
  });
});
