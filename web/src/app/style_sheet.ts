// Emotion (Material UI's styling engine) without inline <style> elements: its rules go into
// a constructed stylesheet adopted by the document. CSP's style-src does not govern
// constructed stylesheets, so the page keeps `style-src 'self'` with no 'unsafe-inline' and
// no nonce (docs/decisions/0072-csp-and-styles.md).

import createCache, {type EmotionCache} from "@emotion/cache";

class AdoptedSheet {
  readonly sheet = new CSSStyleSheet();
  tags: HTMLStyleElement[] = [];
  isSpeedy = true;
  ctr = 0;
  key: string;
  nonce = undefined;
  container = document.head;
  prepend = false;
  insertionPoint = undefined;

  constructor(key: string) {
    this.key = key;
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
  }

  insert(rule: string): void {
    try {
      this.sheet.insertRule(rule, this.sheet.cssRules.length);
      this.ctr += 1;
    } catch {
      // a rule this browser does not know (a vendor prefix): skipped, as emotion does
    }
  }

  hydrate(): void {
    // nothing rendered on a server
  }

  flush(): void {
    this.sheet.replaceSync("");
    this.ctr = 0;
  }
}

export function styleCache(): EmotionCache {
  const cache = createCache({key: "cg", speedy: true});
  if (typeof CSSStyleSheet !== "undefined" && "adoptedStyleSheets" in document) {
    (cache as unknown as {sheet: AdoptedSheet}).sheet = new AdoptedSheet("cg");
  }
  return cache;
}
