// The one stylesheet of the session pages, sent in a nonce'd <style> element: no app CSS, light and dark, phone-sized.

/**
 * The CSS of the user and admin session pages (apps may serve it for their own pages too, for one look everywhere);
 * logical properties keep right-to-left pages correct. One accent, one focus ring, one danger colour.
 * @example
 * html`<style nonce="${nonce}">${raw(STYLESHEET)}</style>`
 */
export const STYLESHEET = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d5dae0;--strong:#8c959f;--soft:#f3f5f8;--accent:#1f5fd6;--on-accent:#fff;--danger:#b3261e;--danger-soft:#fcebea;--on-danger:#fff;--ok-bg:#e6f4ea;--ok-fg:#17492a;--err-bg:#fcebea;--err-fg:#7d1a14;--focus:#1f5fd6;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Hebrew",sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#e6e8eb;--muted:#a6afb9;--line:#373d45;--strong:#6e7781;--soft:#1c2026;--accent:#8ab4ff;--on-accent:#0b1a33;--danger:#ff8a80;--danger-soft:#3a1f1d;--on-danger:#2b0b08;--ok-bg:#1d3325;--ok-fg:#b8e6c4;--err-bg:#3a1f1d;--err-fg:#ffc9c4;--focus:#8ab4ff}}
*,::before,::after{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg)}
main{max-width:48rem;margin:0 auto;padding:1.5rem 1rem 3rem}
main:has(table){max-width:76rem}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .5rem}
h2{font-size:1.1rem;margin:1.75rem 0 .5rem}
p{margin:0 0 1rem}
a{color:var(--accent)}
.crumb{margin:0 0 1rem}
.crumb a{display:inline-flex;align-items:center;gap:.2rem;font-weight:500;text-decoration:none}
.crumb a:hover{text-decoration:underline}
[dir=rtl] svg.back{transform:scaleX(-1)}
.intro,.muted{color:var(--muted)}
.intro{max-width:42rem;margin-block-end:1.5rem}
.notice,.error{display:flex;gap:.55rem;align-items:flex-start;border-radius:8px;padding:.7rem .9rem;margin:0 0 1.25rem}
.notice{background:var(--ok-bg);color:var(--ok-fg)}
.notice svg{flex:none;margin-block-start:.1rem}
.error{background:var(--err-bg);color:var(--err-fg)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,.notice:focus,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
button,.button{font:inherit;font-size:.92rem;font-weight:500;line-height:1.25;display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:2.5rem;padding:.45rem 1rem;border-radius:8px;border:1px solid var(--strong);background:var(--bg);color:var(--fg);cursor:pointer;text-decoration:none;text-align:center}
button:hover,.button:hover{background:var(--soft)}
.primary{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
.primary:hover{background:var(--accent);filter:brightness(1.08)}
.danger{border-color:var(--danger);color:var(--danger)}
.danger:hover{background:var(--danger-soft)}
.danger-fill{background:var(--danger);border-color:var(--danger);color:var(--on-danger)}
.danger-fill:hover{background:var(--danger);filter:brightness(1.08)}
form.inline{display:inline;margin:0}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:1.5rem 0 0}
.sessions{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:12px}
.session{display:grid;grid-template-columns:auto 1fr auto;grid-template-areas:"icon name act" "icon meta act";column-gap:1rem;align-items:center;padding:.9rem 1.1rem}
.session+.session{border-block-start:1px solid var(--line)}
.session.current{background:var(--soft);border-start-start-radius:12px;border-start-end-radius:12px}
.sessions .session:only-child{border-radius:12px}
svg.icon{grid-area:icon;width:2.6rem;height:2.6rem;padding:.5rem;border-radius:50%;background:var(--soft);color:var(--muted)}
.current svg.icon{background:var(--bg);color:var(--accent)}
.name{grid-area:name;font-weight:600;overflow-wrap:anywhere}
.meta{grid-area:meta;color:var(--muted);font-size:.9rem}
.meta>span:not(.sep){white-space:nowrap}
.act{grid-area:act;margin-inline-start:.5rem}
.badge{display:inline-block;margin-inline-start:.5rem;padding:.05rem .55rem;border-radius:999px;font-size:.78rem;font-weight:600;line-height:1.5;vertical-align:.1em;white-space:nowrap;background:var(--ok-bg);color:var(--ok-fg)}
.meta .badge{display:none;margin-inline:0 .5rem}
.status .badge{margin-inline-start:0}
.end svg.chev{display:none}
[dir=rtl] svg.chev{transform:scaleX(-1)}
.badge.off{background:var(--soft);color:var(--muted);border:1px solid var(--line)}
.bulk{margin:1.25rem 0 0;display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:center}
.bulk p{margin:0}
.card{border:1px solid var(--line);border-radius:12px;padding:1rem 1.1rem;margin:1rem 0}
.card .session{padding:0}
.card .session.current{background:none}
.card p.deadline{margin:.9rem 0 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:1rem 0 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
ul.plain{list-style:none;padding:0;margin:.5rem 0 0}
ul.plain li{display:flex;gap:.6rem;align-items:center;padding:.3rem 0}
ul.plain svg.icon{width:2rem;height:2rem;padding:.35rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}
th,td{padding:.65rem .6rem;text-align:start;vertical-align:top;border-block-end:1px solid var(--line)}
th{font-size:.82rem;font-weight:600;color:var(--muted);white-space:nowrap}
td.when{white-space:nowrap;color:var(--muted)}
td .session{padding:0;column-gap:.7rem}
td svg.icon{width:2rem;height:2rem;padding:.35rem}
td .meta{font-size:.85rem}
tr.current td{background:var(--soft)}
.reason{display:block;color:var(--muted);font-size:.85rem}
.sr,th.sr span{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin:1rem 0}
.filters label{display:grid;gap:.25rem;font-size:.85rem;color:var(--muted)}
.filters label.check{display:flex;align-items:center;gap:.45rem;min-height:2.5rem;color:var(--fg);font-size:.92rem}
.filters label.check input{width:1.15rem;height:1.15rem;margin:0}
input,select{font:inherit;min-height:2.5rem;padding:.4rem .6rem;border:1px solid var(--strong);border-radius:8px;background:var(--bg);color:var(--fg)}
input[type=search]{min-width:16rem}
input[aria-invalid=true]{border-color:var(--danger)}
.target{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:0 0 1rem}
nav.pages{display:flex;gap:1.5rem}
bdi{unicode-bidi:isolate}
@media (max-width:60rem){
table,tbody,tr,td{display:block}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
tr{border:1px solid var(--line);border-radius:12px;margin:0 0 .75rem;padding:.7rem .9rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
tr.current{background:var(--soft)}
tr.current td{background:none}
td{border:0;padding:0}
td.who{font-weight:600;flex:1 1 auto}
td.what{order:1;flex:1 1 100%}
td.when{order:2;white-space:normal}
td.when::before{content:attr(data-label) " ";color:var(--muted)}
td.status{order:0}
td.act{order:3;flex:1 1 100%}
}
@media (max-width:40rem){
main{padding:1rem .85rem 2.5rem}
h1{font-size:1.4rem}
.session{grid-template-areas:"icon name act" ". meta meta";column-gap:.75rem;padding:.8rem .85rem;position:relative}
.name .badge{display:none}
.meta .badge{display:inline-block}
.end{border:0;background:none;min-height:0;padding:.2rem;color:var(--muted)}
.end:hover{background:none}
.end .label{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.end svg.chev{display:block}
.end::after{content:"";position:absolute;inset:0}
.end:focus-visible{outline:none}
.session:has(.end:focus-visible){outline:3px solid var(--focus);outline-offset:-3px}
svg.icon{width:2.2rem;height:2.2rem;padding:.4rem}
.act{margin-inline-start:.25rem}
.act button,.act .button{min-height:2.25rem;padding:.35rem .75rem;font-size:.88rem}
input[type=search]{min-width:0;width:100%}
.filters label:first-child{flex:1 1 100%}
}
`.trim();
