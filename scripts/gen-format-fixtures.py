#!/usr/bin/env python3
"""Writes the same gov-2019 report in every table encoding reportlint reads (pipes, tabs,
one cell per line, `|`-separated cells, flattened rows) into fixtures/formats/: a clean
version and one with three planted errors (a mistyped 自然人 cell in table 三, a `/` in table
二, a wrong 总计 in table 四). Run from the repository root; the output is deterministic."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "formats")
rows3 = [
 ("一、本年新收政府信息公开申请数量",[9,0,0,0,0,0,9]),
 ("二、上年结转政府信息公开申请数量",[1,0,0,0,0,0,1]),
 ("三、本年度办理结果（一）予以公开",[3,0,0,0,0,0,3]),
 ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）",[1,0,0,0,0,0,1]),
 ("（三）不予公开 1.属于国家秘密",[1,0,0,0,0,0,1]),
 ("2.其他法律行政法规禁止公开",[0]*7),("3.危及“三安全一稳定”",[0]*7),("4.保护第三方合法权益",[0]*7),
 ("5.属于三类内部事务信息",[0]*7),("6.属于四类过程性信息",[0]*7),("7.属于行政执法案卷",[0]*7),("8.属于行政查询事项",[0]*7),
 ("（四）无法提供 1.本机关不掌握相关政府信息",[4,0,0,0,0,0,4]),("2.没有现成信息需要另行制作",[0]*7),("3.补正后申请内容仍不明确",[0]*7),
 ("（五）不予处理 1.信访举报投诉类申请",[0]*7),("2.重复申请",[0]*7),("3.要求提供公开出版物",[0]*7),("4.无正当理由大量反复申请",[0]*7),("5.要求行政机关确认或重新出具已获取信息",[0]*7),
 ("（六）其他处理",[0]*7),("（七）总计",[9,0,0,0,0,0,9]),("四、结转下年度继续办理",[1,0,0,0,0,0,1]),
]
head3=["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）","自然人","商业企业","科研机构","社会公益组织","法律服务机构","其他","总计"]
rows2=[("第二十条第（一）项",None),("信息内容",["本年新制作数量","本年新公开数量","对外公开总数量"]),("规章",[0,0,0]),("规范性文件",[11,11,22]),
 ("第二十条第（五）项",None),("信息内容",["上一年项目数量","本年增/减","处理决定数量"]),("行政许可",[616,-338,14403]),("其他对外管理服务事项",[449,-158,25567]),
 ("第二十条第（六）项",None),("信息内容",["上一年项目数量","本年增/减","处理决定数量"]),("行政处罚",[2836,0,2555]),("行政强制",[120,0,115]),
 ("第二十条第（八）项",None),("信息内容",["上一年项目数量","本年增/减"]),("行政事业性收费",[31,-2]),
 ("第二十条第（九）项",None),("信息内容",["采购项目数量","采购总金额"]),("政府集中采购",[229,"26216.97万元"])]
t4=[0,0,0,0,0,1,0,0,0,1,0,0,0,0,0]
h4=["行政复议 结果维持","结果纠正","其他结果","尚未审结","总计","未经复议直接起诉 结果维持","结果纠正","其他结果","尚未审结","总计","复议后起诉 结果维持","结果纠正","其他结果","尚未审结","总计"]
def fmt(v): return str(v)
def table(kind, header, rows, width):
    out=[]
    if kind=="pipe":
        out.append("| "+" | ".join(header)+" |"); out.append("|"+"---|"*len(header))
        for label,vals in rows:
            cells=[label]+([fmt(v) for v in vals] if vals else [])
            cells+=[""]*(len(header)-len(cells))
            out.append("| "+" | ".join(cells)+" |")
    elif kind=="tsv":
        out.append("\t".join(header))
        for label,vals in rows: out.append("\t".join([label]+[fmt(v) for v in (vals or [])]))
    elif kind=="cells":
        out.append("\n".join("\t"+h for h in header)); out.append("")
        for label,vals in rows:
            out.append("\n".join("\t"+c for c in [label]+[fmt(v) for v in (vals or [])])); out.append("")
    elif kind=="pipesep":
        out.append("\n|\n".join(header)); out.append("")
        for label,vals in rows:
            out.append("\n|\n".join(([label] if label else [])+[fmt(v) for v in (vals or [])])); out.append("")
    elif kind=="flat":
        for label,vals in rows:
            if vals and all(not isinstance(v,str) or v[0].isdigit() for v in vals): out.append(label+" "+" ".join(fmt(v) for v in vals))
            else: out.append(label+(" "+" ".join(map(str,vals)) if vals else ""))
    return "\n".join(out)
def doc(kind):
    t2=table(kind,["信息内容","","",""],[(l,v) for l,v in rows2],4) if kind!="flat" else table("tsv",["信息内容","","",""],rows2,4)
    t3=table(kind,head3,rows3,8)
    if kind=="flat": t4s="\n".join(["行政复议 行政诉讼", "数量 "+" ".join(map(str,t4))])
    else: t4s=table(kind,h4,[("",t4)],15) if kind!="pipe" else "| "+" | ".join(h4)+" |\n|"+"---|"*15+"\n| "+" | ".join(map(str,t4))+" |"
    return f"""某区2020年政府信息公开工作年度报告

一、总体情况

2020年，区政府认真贯彻落实政务公开要求。

二、主动公开政府信息情况

{t2}

三、收到和处理政府信息公开申请情况

{t3}

四、政府信息公开行政复议、行政诉讼情况

{t4s}

五、存在的主要问题及改进情况

公开质量仍需提升。

六、其他需要报告的事项

无。
"""
for kind in ["pipe","tsv","cells","pipesep","flat"]:
    open(os.path.join(OUT, f"gov-2019-{kind}-clean.txt"),"w").write(doc(kind))
rows3[7]=("4.保护第三方合法权益",[2,0,0,0,0,0,0])
rows2[3]=("规范性文件",[11,"/",22])
t4[9]=2
for kind in ["pipe","tsv","cells","pipesep","flat"]:
    open(os.path.join(OUT, f"gov-2019-{kind}-errors.txt"),"w").write(doc(kind))
