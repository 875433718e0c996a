/**
 * The report's style sheet (inlined into the HTML; allowed by its hash in the
 * Content-Security-Policy). Plain CSS, no framework: system fonts, readable
 * without colour (every status is written in words), a print style that
 * drops the controls and keeps the tables.
 */
export const REPORT_CSS = `
:root{--fg:#1c2430;--muted:#5b6573;--line:#d8dde4;--bg:#f5f7fa;--card:#fff;--accent:#1f5fa8;
--analysable:#2e7d4f;--encrypted:#b3261e;--opaque:#7a4fb0;--unreadable:#5f6368;}
*{box-sizing:border-box}
html{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0}
a{color:var(--accent)}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
header.top{background:#14202e;color:#fff;padding:18px 28px 14px}
header.top h1{margin:0 0 4px;font-size:1.45rem;font-weight:650;letter-spacing:.01em}
header.top .sub{color:#c6d0dc;font-size:.92rem}
header.top dl{display:flex;flex-wrap:wrap;gap:6px 28px;margin:12px 0 0}
header.top dt{font-size:.72rem;text-transform:uppercase;letter-spacing:.06em;color:#9fb0c3}
header.top dd{margin:0;font-weight:600;word-break:break-all}
nav.toc{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);padding:6px 28px;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:.9rem}
nav.toc a{text-decoration:none;padding:4px 0}
nav.toc a:hover,nav.toc a:focus{text-decoration:underline}
main{padding:18px 28px 40px;max-width:1500px;margin:0 auto}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 18px}
section h2{margin:0 0 10px;font-size:1.15rem}
section h3{margin:16px 0 6px;font-size:1rem}
.note{color:var(--muted);font-size:.88rem;margin:4px 0 10px}
.banner{border:2px solid var(--encrypted);background:#fdecea;padding:10px 14px;border-radius:6px;margin:0 0 16px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:0 0 14px}
.card{border:1px solid var(--line);border-left-width:6px;border-radius:6px;padding:10px 12px}
.card .k{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.card .v{font-size:1.6rem;font-weight:700;line-height:1.2}
.card .b{color:var(--muted);font-size:.88rem}
.card.analysable{border-left-color:var(--analysable)}.card.encrypted{border-left-color:var(--encrypted)}
.card.opaque{border-left-color:var(--opaque)}.card.unreadable{border-left-color:var(--unreadable)}.card.total{border-left-color:var(--accent)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:12px 28px}
figure{margin:0}figcaption{font-weight:600;margin:0 0 4px}
svg.bars text{font:13px system-ui,sans-serif;fill:#1c2430}
svg.bars text.val{fill:#1c2430}
.bar-analysable{fill:var(--analysable)}.bar-encrypted{fill:var(--encrypted)}.bar-opaque{fill:var(--opaque)}.bar-unreadable{fill:var(--unreadable)}
.bar-encrypted.hatch{fill:url(#hatch)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:0 0 6px;caption-side:top}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f5;font-weight:600;white-space:nowrap}
tbody th,tfoot th{background:none;white-space:normal}
td.examples{min-width:280px}
section{scroll-margin-top:44px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
.wrap{overflow-x:auto}
.path{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.84rem;overflow-wrap:anywhere}
.why{color:var(--muted);font-size:.8rem;margin-top:2px}
.hash{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.74rem;color:var(--muted);overflow-wrap:anywhere}
.st{display:inline-block;padding:1px 7px;border-radius:10px;font-size:.8rem;font-weight:600;border:1px solid;white-space:nowrap}
.st-analysable{color:var(--analysable);border-color:var(--analysable)}
.st-encrypted{color:#fff;background:var(--encrypted);border-color:var(--encrypted)}
.st-opaque{color:var(--opaque);border-color:var(--opaque)}
.st-unreadable{color:#fff;background:var(--unreadable);border-color:var(--unreadable)}
.key-yes{color:var(--analysable);font-weight:700}.key-no{color:var(--encrypted);font-weight:700}.key-unknown{color:var(--muted)}
.controls{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;margin:0 0 10px}
.controls label{display:flex;flex-direction:column;font-size:.8rem;font-weight:600;color:var(--muted);gap:2px}
.controls input[type=search]{min-width:260px}
.controls select{max-width:300px}
caption{font-size:.95rem}
#encrypted-apps{margin-top:14px}
.controls input,.controls select,.pager button,.pager select{font:inherit;font-size:.9rem;padding:5px 8px;border:1px solid #9aa5b1;border-radius:5px;background:#fff;color:var(--fg)}
.controls label.inline{flex-direction:row;align-items:center;gap:6px;color:var(--fg);font-weight:500}
.pager{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:10px 0 0}
button{cursor:pointer}button:disabled{cursor:default;opacity:.45}
th button.sort{all:unset;cursor:pointer;font-weight:600}
th button.sort:focus-visible,:focus-visible{outline:3px solid #f0b400;outline-offset:1px}
.count{font-weight:600}
.empty{padding:18px;text-align:center;color:var(--muted)}
details summary{cursor:pointer;color:var(--accent)}
footer{color:var(--muted);font-size:.82rem;text-align:center;padding:0 0 30px}
@media (max-width:700px){main{padding:10px}header.top,nav.toc{padding-left:12px;padding-right:12px}.controls input[type=search]{min-width:0;width:100%}}
@media print{
 body{background:#fff}nav.toc,.controls,.pager,.noprint,.skip{display:none!important}
 header.top{background:#fff;color:#000;border-bottom:2px solid #000;padding:0 0 8px}header.top .sub,header.top dt{color:#333}
 main{padding:0;max-width:none}section{border:none;padding:0;margin:0 0 14px;break-inside:auto}
 h2{break-after:avoid}tr{break-inside:avoid}th{background:#eee!important}
 .st-encrypted,.st-unreadable{color:#000;background:#fff}
 .printnote{display:block!important}
}
.printnote{display:none}
`;
