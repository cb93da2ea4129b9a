#!/usr/bin/env python3
"""Writes one gov-2021 report (on 2022) in every text layout people copy reports in, into
fixtures/layouts/: `NAME.pipe.md` is the Markdown twin, and every other `NAME.LAYOUT.txt`
must bind the same grid (tests/layouts.rs compares the bound models). Each report comes
clean and with planted errors (a mistyped 自然人 cell in table 三 that explains two failing
totals, a `/` in table 二, a wrong 总计 in table 四).

Layouts: blank line between every cell (Word/WPS "save as text", HTML-to-text), every cell
ending in ` |` with lone `|` for empty cells and `||` between rows, the same with a lone `|`
opening every row (a mirror site's conversion), tab-separated rows whose long labels wrap
onto a second line (a browser copy), and one cell per line with a leading tab.

Run from anywhere; the output is deterministic."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "layouts")

TITLE = "某县2022年政府信息公开工作年度报告"
SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
PROSE = {
    0: "2022年，本县坚持以公开为常态、不公开为例外，全年主动公开政府信息1200条。",
    4: "存在的问题是公开内容不够全面。下一步将加强培训，提高公开质量。",
    5: "本年度未收取信息处理费。",
}

# Table 二: caption rows, header rows and data rows, in reading order.
TABLE2 = [
    ("caption", "第二十条第（一）项"),
    ("header", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
    ("row", "规章", ["0", "0", "0"]),
    ("row", "行政规范性文件", ["12", "3", "45"]),
    ("caption", "第二十条第（五）项"),
    ("header", ["信息内容", "本年处理决定数量"]),
    ("row", "行政许可", ["1520"]),
    ("caption", "第二十条第（六）项"),
    ("header", ["信息内容", "本年处理决定数量"]),
    ("row", "行政处罚", ["318"]),
    ("row", "行政强制", ["7"]),
    ("caption", "第二十条第（八）项"),
    ("header", ["信息内容", "本年收费金额（单位：万元）"]),
    ("row", "行政事业性收费", ["26.5"]),
]

# Table 三: (group label, own label, seven numbers); a group label of its own has no numbers.
ZERO = ["0"] * 7
TABLE3_HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况", "自然人", "法人或其他组织", "总计",
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
]
TABLE3 = [
    (None, "一、本年新收政府信息公开申请数量", ["11", "2", "0", "0", "0", "1", "14"]),
    (None, "二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"]),
    ("三、本年度办理结果", "（一）予以公开", ["5", "1", "0", "0", "0", "0", "6"]),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ["2", "0", "0", "0", "0", "0", "2"]),
    ("（三）不予公开", "1.属于国家秘密", ZERO),
    (None, "2.其他法律行政法规禁止公开", ZERO),
    (None, "3.危及“三安全一稳定”", ZERO),
    (None, "4.保护第三方合法权益", ["1", "0", "0", "0", "0", "0", "1"]),
    (None, "5.属于三类内部事务信息", ZERO),
    (None, "6.属于四类过程性信息", ZERO),
    (None, "7.属于行政执法案卷", ZERO),
    (None, "8.属于行政查询事项", ZERO),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", ["2", "1", "0", "0", "0", "0", "3"]),
    (None, "2.没有现成信息需要另行制作", ZERO),
    (None, "3.补正后申请内容仍不明确", ZERO),
    ("（五）不予处理", "1.信访举报投诉类申请", ["1", "0", "0", "0", "0", "0", "1"]),
    (None, "2.重复申请", ZERO),
    (None, "3.要求提供公开出版物", ZERO),
    (None, "4.无正当理由大量反复申请", ZERO),
    (None, "5.要求行政机关确认或重新出具已获取信息", ZERO),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ZERO),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ZERO),
    (None, "3.其他", ["1", "0", "0", "0", "0", "1", "2"]),
    (None, "（七）总计", ["12", "2", "0", "0", "0", "1", "15"]),
    (None, "四、结转下年度继续办理", ["0", "0", "0", "0", "0", "0", "0"]),
]

TABLE4_HEADER = [
    "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
    "未经复议直接起诉", "复议后起诉",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
]
TABLE4 = ["1", "0", "0", "1", "2", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0"]


def planted(errors):
    """The tables' values, with the planted errors when asked."""
    table2 = [list(item) for item in TABLE2]
    table3 = [list(item) for item in TABLE3]
    table4 = list(TABLE4)
    if errors:
        table2[3][2] = ["12", "/", "45"]
        # 4.保护第三方合法权益 · 自然人 typed 3 for 1: its row total and the 自然人 column of
        # （七）总计 both fail, and one cell explains both.
        table3[7][2] = ["3", "0", "0", "0", "0", "0", "1"]
        # 行政复议 总计 3 where its parts add up to 2.
        table4[4] = "3"
    return table2, table3, table4


def rows_of(table2, table3, table4):
    """Each table as a list of rows of cells, in reading order."""
    two = []
    for item in table2:
        if item[0] == "caption":
            two.append([item[1]])
        elif item[0] == "header":
            two.append(item[1])
        else:
            two.append([item[1]] + item[2])
    three = [TABLE3_HEADER[:2], TABLE3_HEADER[2:5], TABLE3_HEADER[5:]]
    for group, label, values in table3:
        three.append(([group] if group else []) + [label] + values)
    four = [TABLE4_HEADER[:2], TABLE4_HEADER[2:9], TABLE4_HEADER[9:], table4]
    return two, three, four


def pipe(rows):
    width = max(len(row) for row in rows)
    lines = []
    for index, row in enumerate(rows):
        cells = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def blank_between_cells(rows):
    return "\n\n".join(cell for row in rows for cell in row)


def pipe_cells(rows):
    out = []
    for row in rows:
        out.extend(cell + " |" if cell else "|" for cell in row)
        out.append("||")
    return "\n".join(out)


def pipe_cells_row_openers(rows):
    out = []
    for row in rows:
        out.append("|")
        out.extend(cell + " |" if cell else "|" for cell in row)
        out.append("|" * max(2, len(row) - 5))
    return "\n".join(out)


def tsv_wrapped(rows):
    """A browser copy: tab-separated rows; labels over 20 characters wrap onto a second line
    that holds the rest of the label and the row's values."""
    out = []
    for row in rows:
        first = row[0]
        if len(first) > 20 and len(row) > 1:
            out.append(first[:20])
            out.append("\t".join([first[20:]] + row[1:]))
        else:
            out.append("\t".join(row))
    return "\n".join(out)


def tab_cells(rows):
    return "\n\n".join("\n".join("\t" + cell for cell in row) for row in rows)


LAYOUTS = {
    "blank-between-cells": blank_between_cells,
    "pipe-cells": pipe_cells,
    "pipe-cells-row-openers": pipe_cells_row_openers,
    "tsv-wrapped": tsv_wrapped,
    "tab-cells": tab_cells,
}


def document(write_table, errors, markdown):
    two, three, four = rows_of(*planted(errors))
    tables = {1: two, 2: three, 3: four}
    parts = [TITLE]
    for index, heading in enumerate(SECTIONS):
        parts.append(("## " if markdown else "") + heading)
        if index in PROSE:
            parts.append(PROSE[index])
        if index in tables:
            parts.append(write_table(tables[index]))
    return "\n\n".join(parts) + "\n"


def main():
    os.makedirs(OUT, exist_ok=True)
    for errors in (False, True):
        name = "gov-2021-errors" if errors else "gov-2021-clean"
        with open(os.path.join(OUT, f"{name}.pipe.md"), "w", encoding="utf-8") as out:
            out.write(document(pipe, errors, markdown=True))
        for layout, write_table in LAYOUTS.items():
            with open(os.path.join(OUT, f"{name}.{layout}.txt"), "w", encoding="utf-8") as out:
                out.write(document(write_table, errors, markdown=False))


if __name__ == "__main__":
    main()
