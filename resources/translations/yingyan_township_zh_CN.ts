<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>BatchModel</name>
        <message>
            <location filename="../../desktop/township/models.py" line="121" />
            <source>Answered</source>
            <translation>应答时间</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="121" />
            <source>Batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="121" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="121" />
            <source>Records</source>
            <translation>记录数</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="121" />
            <source>Imported</source>
            <translation>导入</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="122" />
            <source>Duplicates</source>
            <translation>重复</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="122" />
            <source>Rejected</source>
            <translation>被拒</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="122" />
            <source>Watermark</source>
            <translation>水位线</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="126" />
            <source>all accepted</source>
            <translation>全部接收</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="126" />
            <source>partly rejected</source>
            <translation>部分被拒</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="127" />
            <source>all rejected</source>
            <translation>全部被拒</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="127" />
            <source>awaiting answer</source>
            <translation>等待应答</translation>
        </message>
    </context>
    <context>
        <name>QueueModel</name>
        <message>
            <location filename="../../desktop/township/models.py" line="79" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="79" />
            <source>Row</source>
            <translation>行号</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="79" />
            <source>Case no.</source>
            <translation>办件编号</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="79" />
            <source>Event</source>
            <translation>环节</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="79" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="80" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="84" />
            <source>received</source>
            <translation>收件</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="84" />
            <source>accepted</source>
            <translation>受理</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="85" />
            <source>not accepted</source>
            <translation>不予受理</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="85" />
            <source>node completed</source>
            <translation>环节办结</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="86" />
            <source>suspended</source>
            <translation>挂起</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="86" />
            <source>resumed</source>
            <translation>恢复</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="86" />
            <source>fee charged</source>
            <translation>收费</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="87" />
            <source>decided</source>
            <translation>办结</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="87" />
            <source>delivered</source>
            <translation>送达</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="87" />
            <source>withdrawn</source>
            <translation>撤件</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="90" />
            <source>rating</source>
            <translation>评价</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="92" />
            <source>petition</source>
            <translation>信访</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="102" />
            <source>waiting</source>
            <translation>等待发送</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/township/models.py" line="105" />
            <source>sending (attempt %n)</source>
            <translation>
                <numerusform>发送中（第 %n 次尝试）</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="106" />
            <source>sending</source>
            <translation>发送中</translation>
        </message>
    </context>
    <context>
        <name>RejectionModel</name>
        <message>
            <location filename="../../desktop/township/models.py" line="145" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="145" />
            <source>Row</source>
            <translation>行号</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="145" />
            <source>Column</source>
            <translation>列</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="145" />
            <source>Code</source>
            <translation>错误代码</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="145" />
            <source>Found by</source>
            <translation>发现方</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="146" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="150" />
            <source>server</source>
            <translation>服务器</translation>
        </message>
        <message>
            <location filename="../../desktop/township/models.py" line="150" />
            <source>local check</source>
            <translation>本机校验</translation>
        </message>
    </context>
    <context>
        <name>SyncWindow</name>
        <message>
            <location filename="../../desktop/township/window.py" line="153" />
            <source>Yingyan — township sync</source>
            <translation>鹰眼 · 乡镇数据同步</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="178" />
            <source>Add files and push…</source>
            <translation>添加文件并推送…</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="179" />
            <source>Push queue</source>
            <translation>推送队列</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="180" />
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="181" />
            <source>Export rejected…</source>
            <translation>导出被拒记录…</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="191" />
            <location filename="../../desktop/township/window.py" line="277" />
            <source>Idle</source>
            <translation>空闲</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="199" />
            <source>Filter by file, case number, event…</source>
            <translation>按文件、办件编号、环节筛选…</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="213" />
            <source>Ready</source>
            <translation>就绪</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="252" />
            <source>Reading and sending…</source>
            <translation>正在读取并发送…</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="256" />
            <source>Export files to push</source>
            <translation>选择要推送的导出文件</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="257" />
            <source>Exports (*.csv *.xlsx *.jsonl *.txt)</source>
            <translation>导出文件 (*.csv *.xlsx *.jsonl *.txt)</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="262" />
            <source>Save rejected records</source>
            <translation>保存被拒记录</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="263" />
            <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
            <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="277" />
            <source>Done: %1 records</source>
            <translation>完成：%1 条记录</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="285" />
            <source>Sent %1 of %2 records</source>
            <translation>已发送 %1 / %2 条记录</translation>
        </message>
        <message>
            <source>%1 (office code %2) · %3</source>
            <translation>%1（单位编码 %2）· %3</translation>
        </message>
        <message>
            <source>Office code %1 · %2</source>
            <translation>单位编码 %1 · %2</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="295" />
            <source>Not logged in: run 'yingyan sync login' first</source>
            <translation>尚未登录：请先运行 “yingyan sync login”</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="298" />
            <source>Queued %1 · Sent %2 · Rejected %3 · Complete until %4</source>
            <translation>待发送 %1 · 已发送 %2 · 被拒 %3 · 已完整至 %4</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="304" />
            <source>Queue (%1)</source>
            <translation>队列 (%1)</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="305" />
            <source>Batches (%1)</source>
            <translation>批次 (%1)</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="306" />
            <source>Rejected (%1)</source>
            <translation>被拒记录 (%1)</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="316" />
            <source>Stopping after the current batch…</source>
            <translation>当前批次结束后停止…</translation>
        </message>
    </context>
    <context>
        <name>SyncWorker</name>
        <message>
            <source>%1: %2 fixed rows carry a rejection number (拒收编号) that is not open here: closed already, or from another computer&apos;s report</source>
            <translation>%1：有 %2 行修改后的记录所带的拒收编号在本机没有对应的未处理拒收（已处理过，或来自其他电脑导出的报告）</translation>
        </message>
        <message>
            <source>Cannot read the office token: this session has no D-Bus session bus, so no Secret Service (gnome-keyring) can answer. Start the window from the desktop login, or see &apos;Linux without a desktop&apos; in docs/sync-agent.md (dbus-run-session + gnome-keyring).</source>
            <translation>无法读取单位令牌：当前会话没有 D-Bus 会话总线，系统密钥环（Secret Service，如 gnome-keyring）无法应答。请在桌面登录中启动本窗口，或参阅 docs/sync-agent.md 的“Linux without a desktop”一节（dbus-run-session + gnome-keyring）。</translation>
        </message>
        <message>
            <source>Cannot read the office token: no Secret Service is running in this session. Start gnome-keyring-daemon (unlocked) or KeePassXC&apos;s Secret Service and push again.</source>
            <translation>无法读取单位令牌：当前会话中没有运行系统密钥环服务（Secret Service）。请启动并解锁 gnome-keyring-daemon，或开启 KeePassXC 的 Secret Service 后重新推送。</translation>
        </message>
        <message>
            <source>Cannot read the office token from the OS keyring: unlock it and push again, or log in again with &apos;yingyan sync login&apos;.</source>
            <translation>无法从系统密钥环读取单位令牌：请解锁密钥环后重新推送，或用“yingyan sync login”重新登录。</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="100" />
            <source>Read %1: %2 rows, %3 queued, %4 rejected here</source>
            <translation>已读取 %1：%2 行，%3 条入队，本机拒收 %4 条</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="112" />
            <source>Link trouble, retrying in %1 s: %2</source>
            <translation>网络异常，%1 秒后重试：%2</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="123" />
            <source>Push finished: %1 records in %2 batches; rejected by the server %3, here %4</source>
            <translation>推送完成：%2 个批次共 %1 条记录；服务器拒收 %3 条，本机拒收 %4 条</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="127" />
            <source>Stopped; the queue is kept and the next push resumes</source>
            <translation>已停止；队列已保留，下次推送将从中断处继续</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="129" />
            <source>Push failed: %1</source>
            <translation>推送失败：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/township/window.py" line="141" />
            <source>Wrote %1</source>
            <translation>已写入 %1</translation>
        </message>
    </context>
    <context>
        <name>Reason</name>
        <message>
            <source>%1 “%2” is not a step of item %3; its steps are: %4</source>
            <translation>%1“%2”不是事项 %3 的办理环节；该事项的环节为：%4</translation>
        </message>
        <message>
            <source>Item code %1 is not in the county&apos;s catalogue of powers</source>
            <translation>事项编码 %1 不在县级权力事项目录中</translation>
        </message>
        <message>
            <source>Case %1 was reported before with item code %2; this row has %3</source>
            <translation>办件 %1 此前已按事项编码 %2 上报，本行却是 %3</translation>
        </message>
        <message>
            <source>The time %1 is later than the server&apos;s time %2</source>
            <translation>时间 %1 晚于服务器当前时间 %2</translation>
        </message>
        <message>
            <source>The time %1 is later than this computer&apos;s time %2</source>
            <translation>时间 %1 晚于本机当前时间 %2</translation>
        </message>
        <message>
            <source>The time in column %1 is later than now</source>
            <translation>“%1”列的时间晚于当前时间</translation>
        </message>
        <message>
            <source>The time %1 is before 1970; check the year</source>
            <translation>时间 %1 早于 1970 年：请检查年份</translation>
        </message>
        <message>
            <source>The same record was sent twice in one batch</source>
            <translation>同一条记录在一个批次中出现了两次</translation>
        </message>
        <message>
            <source>The kind of record %1 is not one the server knows</source>
            <translation>服务器无法识别记录类型 %1</translation>
        </message>
        <message>
            <source>This row is the same step as row %1 (same case, step and time) but its other cells differ</source>
            <translation>本行与第 %1 行是同一办理步骤（办件编号、操作和时间相同），但其他内容不同</translation>
        </message>
        <message>
            <source>This step was already sent with other content; a sent record cannot be changed</source>
            <translation>该办理步骤此前已以不同内容上报，已上报的记录不能修改</translation>
        </message>
        <message>
            <source>Column %1 is empty; it must be filled in</source>
            <translation>“%1”列为空，该列必须填写</translation>
        </message>
        <message>
            <source>A required value (%1) is missing</source>
            <translation>缺少必填内容（%1）</translation>
        </message>
        <message>
            <source>“%1” in column %2 is not one of the words the mapping knows: %3</source>
            <translation>“%2”列中的“%1”不在映射文件的对照表中，可用的写法有：%3</translation>
        </message>
        <message>
            <source>“%1” in column %2 is not a date and time (write it like 2026-03-01 09:30:00)</source>
            <translation>“%2”列中的“%1”不是有效的日期时间（应写作 2026-03-01 09:30:00）</translation>
        </message>
        <message>
            <source>“%1” in column %2 is not a whole number</source>
            <translation>“%2”列中的“%1”不是整数</translation>
        </message>
        <message>
            <source>“%1” in column %2 is not an amount in yuan</source>
            <translation>“%2”列中的“%1”不是以元为单位的金额</translation>
        </message>
        <message>
            <source>“%1” in column %2 has more than two decimals (fen)</source>
            <translation>“%2”列中的“%1”超过两位小数（精确到分）</translation>
        </message>
        <message>
            <source>The receipt code %1 is already used by another petition</source>
            <translation>查询码 %1 已被另一件信访使用</translation>
        </message>
        <message>
            <source>“%1” in column %2 is not valid here</source>
            <translation>“%2”列中的“%1”不符合要求</translation>
        </message>
        <message>
            <source>The content of column %1 is not valid</source>
            <translation>“%1”列的内容不符合要求</translation>
        </message>
        <message>
            <source>A value of this row is not valid (%1)</source>
            <translation>本行的内容不符合要求（%1）</translation>
        </message>
        <message>
            <source>This row could not be read from the file</source>
            <translation>无法从文件中读取该行</translation>
        </message>
        <message>
            <source>Refused by the server (%1)</source>
            <translation>服务器拒收（%1）</translation>
        </message>
        <message>
            <source>case number</source>
            <translation>办件编号</translation>
        </message>
        <message>
            <source>item code</source>
            <translation>事项编码</translation>
        </message>
        <message>
            <source>operation</source>
            <translation>操作类型</translation>
        </message>
        <message>
            <source>step</source>
            <translation>办理环节</translation>
        </message>
        <message>
            <source>time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>kind of record</source>
            <translation>记录类型</translation>
        </message>
        <message>
            <source>time received</source>
            <translation>收件时间</translation>
        </message>
    </context>
    <context>
        <name>QAbstractFileIconProvider</name>
        <message>
            <source>Folder</source>
            <comment>All other platforms</comment>
            <translation>文件夹</translation>
        </message>
        <message>
            <source>Drive</source>
            <translation>驱动器</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>%1 File</source>
            <translation>%1 文件</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>未知</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>查找范围(&amp;L)：</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>文件类型(&amp;T)：</translation>
        </message>
    </context>
</TS>
