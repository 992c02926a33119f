// Article Markdown as safe HTML. HTML written inside the Markdown is shown as the text it is, never as markup (an
// auditor sees exactly what the article says, and no hidden element can act); DOMPurify then removes whatever
// could still run or reach out in marked's own output (javascript: and data: links, event handlers, frames,
// forms, styles). Images become their alt text: the console works offline and loads nothing from other hosts. Headings start below the panel's own (an article's `#` is an
// <h5> under the article title's <h4>), so the page keeps one heading outline.
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

/** The heading level an article's `#` becomes (the article title is an h4). */
const FIRST_HEADING_LEVEL = 5;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    heading({ tokens, depth }: Tokens.Heading): string {
      const level = Math.min(6, depth + FIRST_HEADING_LEVEL - 1);
      return `<h${level} class="kb-md-heading">${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      return block ? `<p class="kb-md-raw">${escapeHtml(text)}</p>\n` : escapeHtml(text);
    },
    image({ text }: Tokens.Image): string {
      return `<span class="kb-md-image">[image: ${escapeHtml(text || 'no description')}]</span>`;
    },
  },
});

const ALLOWED_LINK = /^(?:https?:|mailto:|tel:|#)/i;

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href');
  if (href === null) return;
  // A link never replaces the console: it opens apart, shows where it goes, and passes nothing along.
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
  node.setAttribute('title', href);
});

/** Sanitized HTML for an article body written in Markdown (HTML inside it is sanitized the same way). */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source) as string;
  return purifier.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'frame', 'object', 'embed', 'img', 'svg', 'math', 'video', 'audio', 'source', 'link', 'meta', 'base'],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
    ALLOWED_URI_REGEXP: ALLOWED_LINK,
  });
}
