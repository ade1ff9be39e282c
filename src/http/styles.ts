// The one stylesheet of the session pages, sent in a nonce'd <style> element: no app CSS, light and dark, phone-sized.

/**
 * The CSS of the user and admin session pages; logical properties keep right-to-left pages correct.
 * @example
 * html`<style nonce="${nonce}">${raw(STYLESHEET)}</style>`
 */
export const STYLESHEET = `
:root{color-scheme:light dark;--fg:#1c1e21;--muted:#5f6670;--line:#d6d9de;--soft:#f4f6f8;--accent:#1f5fd6;--danger:#b3261e;--ok-bg:#e7f3ea;--ok-fg:#1d4d2b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Hebrew",sans-serif}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#a3aab3;--line:#3a3f46;--soft:#1f2328;--accent:#8ab4ff;--danger:#ff8a80;--ok-bg:#1e3325;--ok-fg:#b8e6c4}}
body{margin:0;color:var(--fg);background:Canvas}
main{max-width:64rem;margin:0 auto;padding:2rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 1.25rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}
th,td{padding:.6rem .75rem;text-align:start;vertical-align:top;border-block-end:1px solid var(--line)}
th{font-size:.85rem;font-weight:600;color:var(--muted)}
tr.current{background:var(--soft)}
.muted,time{color:var(--muted)}
.this{font-weight:600;color:var(--fg)}
form.inline{display:inline;margin:0}
button{font:inherit;font-size:.9rem;white-space:nowrap;padding:.45rem .9rem;border-radius:6px;border:1px solid var(--danger);background:transparent;color:var(--danger);cursor:pointer}
button:hover{background:var(--danger);color:Canvas}
button.primary{border-color:var(--accent);background:var(--accent);color:Canvas}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.notice{background:var(--ok-bg);color:var(--ok-fg);border-radius:6px;padding:.6rem .9rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin:0 0 1rem}
.filters label{display:grid;gap:.2rem;font-size:.85rem;color:var(--muted)}
.filters label.check{display:flex;align-items:center;gap:.4rem;padding-block-end:.5rem}
input,select{font:inherit;padding:.4rem .55rem;border:1px solid var(--line);border-radius:6px;background:Canvas;color:var(--fg)}
nav.pages{display:flex;gap:1.5rem}
bdi{unicode-bidi:isolate}
@media (max-width:40rem){
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table,tbody,tr,td{display:block}
tr{border:1px solid var(--line);border-radius:8px;margin:0 0 .75rem;padding:.4rem 0}
td{border:0;position:relative;padding:.3rem .9rem;padding-inline-start:9rem;min-height:1.5rem}
td::before{content:attr(data-label);position:absolute;inset-inline-start:.9rem;width:7.5rem;font-size:.85rem;line-height:1.75;color:var(--muted)}
}
`.trim();
