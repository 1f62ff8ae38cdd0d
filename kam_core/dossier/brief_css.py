"""The negotiation brief's print style sheet (logical properties: it mirrors under dir="rtl")."""

# Printed by Chromium on A4, a typical key client fits one page: compact type, essentials
# (figures, risks, questions, offers) first and side by side, the decision map and contact
# list last, so a long contact list flows to page 2 while page 1 keeps the essentials.
CSS = """
@page { size: A4; margin: 8mm 10mm; }
* { box-sizing: border-box; }
body { font: 8pt/1.25 Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif; color: #222;
       max-width: 188mm; margin: 0 auto; padding: 4mm 0; }
h1 { font-size: 14pt; margin: 0 0 1mm; }
h2 { font-size: 9.5pt; margin: 2mm 0 0.8mm; border-bottom: 1px solid #1f4e79; color: #1f4e79;
     break-after: avoid; page-break-after: avoid; }
.meta { color: #666; font-size: 8pt; margin: 0 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 7.5pt; margin: 0.5mm 0; }
th, td { border: 1px solid #ccc; padding: 0.3mm 1mm; text-align: start; vertical-align: top; }
th { background: #eef3f8; } tr { break-inside: avoid; page-break-inside: avoid; }
td.n { text-align: end; white-space: nowrap; }
.ltr { direction: ltr; unicode-bidi: isolate; }
.kpi td { width: 25%; } .kpi b { display: block; font-size: 9.5pt; }
.cols { display: grid; grid-template-columns: 1fr 1fr; column-gap: 5mm; }
.cols.three { grid-template-columns: 1fr 1fr 1fr; }
.cols > section { min-width: 0; }
.essentials { break-inside: avoid; page-break-inside: avoid; }
ul { margin: 0.5mm 0; margin-inline-start: 4mm; padding: 0; } li { margin: 0.3mm 0; }
.risk li { color: #9c1c1c; } .empty { color: #888; font-style: italic; margin: 0.5mm 0; }
p.sub { font-weight: bold; margin: 1.5mm 0 0.5mm; }
p.fact { margin: 0 0 0.8mm; }
.people .cols { grid-template-columns: 1fr 2fr; }
.people td:nth-child(4) { font-size: 7pt; white-space: nowrap; }
.map svg { display: block; max-width: 100%; max-height: 40mm; width: auto; height: auto; }
.people.own-page { break-before: page; page-break-before: always; }
.people.own-page .cols { grid-template-columns: 1fr; row-gap: 3mm; }
.people.own-page .map svg { max-height: 110mm; }
.sign { margin: 3mm 0 0; padding-top: 0.5mm; border-top: 1px solid #888; width: 70mm; }
@media print { body { padding: 0; } }
"""
