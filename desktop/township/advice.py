"""What the clerk should do about each rejection code (处理建议), in Chinese.

The server's and the validator's messages are precise but English; the report and the
window put this advice beside them so a clerk knows which cell to fix or whom to call.
"""

from __future__ import annotations

ADVICE: dict[str, str] = {
    "MISSING_FIELD": "必填项为空：请在该列填写内容后重新导入。",
    "INVALID_FIELD": ("内容格式或取值不正确：请按原因中的提示修改该单元格"
                      "（日期如 2026-03-01 09:30:00，金额以元为单位）。"),
    "UNKNOWN_KIND": "记录类型无法识别：请确认导出文件与映射文件对应。",
    "UNKNOWN_POWER": "事项编码不在县级权力事项目录中：请核对事项编码；编码无误时请联系县电子监察中心更新目录。",
    "UNKNOWN_NODE": "办理环节不是该事项的环节：请核对办理环节名称，或在映射文件的环节对照表中补充。",
    "CASE_MISMATCH": "同一办件编号已用其他事项编码上报：请核对办件编号和事项编码。",
    "FUTURE_TIMESTAMP": "时间晚于当前时间：请检查操作时间是否录错（如年份），并核对本机时钟。",
    "DUPLICATE_IN_BATCH": "同一批次中重复出现：通常无需处理。",
    "ID_CONFLICT": "该行已以不同内容上报过，已上报的记录不能修改：如需更正，请登记一条新的办理记录。",
}


def advice(code: str | None) -> str:
    return ADVICE.get(code or "", "请根据原因修改后重新导入；如有疑问请联系县电子监察中心。")
