import { originAllowed } from './tracking-origins';

describe('originAllowed', () => {
  it('lets requests without Origin through (servers, mobile apps), whatever the list', () => {
    expect(originAllowed(undefined, [])).toBe(true);
  });

  it('accepts no browser origin when the list is empty', () => {
    expect(originAllowed('https://shop.example.com', [])).toBe(false);
  });

  it('matches exact origins, one-label wildcards and *', () => {
    const allowed = ['https://shop.example.com', 'https://*.example.org', 'http://localhost:3000'];
    expect(originAllowed('https://shop.example.com', allowed)).toBe(true);
    expect(originAllowed('HTTPS://SHOP.EXAMPLE.COM', allowed)).toBe(true);
    expect(originAllowed('http://shop.example.com', allowed)).toBe(false);
    expect(originAllowed('https://evil-shop.example.com', allowed)).toBe(false);
    expect(originAllowed('https://a.example.org', allowed)).toBe(true);
    expect(originAllowed('https://example.org', allowed)).toBe(false);
    expect(originAllowed('https://a.example.org.evil.com', allowed)).toBe(false);
    expect(originAllowed('http://localhost:3000', allowed)).toBe(true);
    expect(originAllowed('http://localhost:3001', allowed)).toBe(false);
    expect(originAllowed('null', allowed)).toBe(false);
    expect(originAllowed('null', ['*'])).toBe(true);
  });
});
