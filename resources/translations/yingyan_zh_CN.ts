<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertWall</name>
    <message>
        <source>Active</source>
        <translation>活动预警</translation>
    </message>
    <message>
        <source>Open (not yet handled)</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Red</source>
        <extracomment>draws the rows (set once the model is); without it Qt&apos;s delegate paints cell by cell (office, case_no, alert id) — Enter on a case alert alert id of the current row (for the detail and case panes) alert id — Enter on an alert about a supervision notice (its reply is overdue) a message for the status bar (refused actions and the like) the server answered 401 to an alert&apos;s history: the token may have been refused reads an alert&apos;s history (actions, comments) from the server: ``ApiClient.alert`` reads the active users from the server (``ApiClient.people``) for the assign dialog the last list of people the server gave (kept for working offline); None: never read the signed-in user&apos;s role: the wall offers only the actions it may take (unknown: all of them) the alert whose detail is shown (None: none) select this alert once the wall has reloaded (it was not among the rows)</extracomment>
        <translation>红色</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>Which alerts: active ones by default</source>
        <translation>显示哪些预警：默认为活动预警</translation>
    </message>
    <message>
        <source>All rules</source>
        <translation>全部规则</translation>
    </message>
    <message>
        <source>Search case, office, rule, message… (Ctrl+F)</source>
        <translation>搜索办件、单位、规则、内容…（Ctrl+F）</translation>
    </message>
    <message>
        <source>No grouping</source>
        <translation>不分组</translation>
    </message>
    <message>
        <source>Group by office</source>
        <translation>按单位分组</translation>
    </message>
    <message>
        <source>Group by rule</source>
        <translation>按规则分组</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>声音开</translation>
    </message>
    <message>
        <source>Mute the alarm for new red signals (M)</source>
        <translation>新红色警示静音（M）</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Acknowledge the selected alerts (A)</source>
        <translation>确认所选预警（A）</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Escalate: a yellow signal becomes red (E)</source>
        <translation>升级：黄色预警转为红色警示（E）</translation>
    </message>
    <message>
        <source>Dismiss…</source>
        <translation>排除…</translation>
    </message>
    <message>
        <source>Dismiss with a reason (D)</source>
        <translation>说明理由后排除（D）</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>指派…</translation>
    </message>
    <message>
        <source>Assign to a person (G)</source>
        <translation>指派给专人（G）</translation>
    </message>
    <message>
        <source>Comment…</source>
        <translation>批注…</translation>
    </message>
    <message>
        <source>Comment on the selected alerts (C)</source>
        <translation>为所选预警添加批注（C）</translation>
    </message>
    <message>
        <source>Promote to case</source>
        <translation>转为案件</translation>
    </message>
    <message>
        <source>Promote to an investigation case (P)</source>
        <translation>转为调查案件（P）</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>查看办件</translation>
    </message>
    <message>
        <source>Open the case of the current alert (Enter)</source>
        <translation>查看当前预警的办件（Enter）</translation>
    </message>
    <message>
        <source>%1 is a petition, not an approval case: its clocks and history are in the alert&apos;s detail below; the petition desk handles it</source>
        <translation>%1 是信访件，不是审批办件：其时限与处理记录见下方预警详情，由信访工作人员办理</translation>
    </message>
    <message>
        <source>This alert is about the office %1 as a whole (no data received), not one case: its detail is below</source>
        <translation>此预警针对单位“%1”整体（未收到数据），不是某一办件：详情见下方</translation>
    </message>
    <message>
        <source>All offices</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <source>%1 shown, counting…</source>
        <translation>已显示 %1 条，正在统计…</translation>
    </message>
    <message>
        <source>%1 shown of %2</source>
        <translation>已显示 %1 / 共 %2 条</translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <extracomment>the severity column&apos;s text colour, and every other column&apos;s (None: the palette&apos;s) open alerts have their severity and status in bold forget the node names read so far first (the catalogue or cases changed) the number of alerts matching the filter (counted in the background), or -1 while counting new red alerts arrived that match the filter (ids) the model was reloaded (filter or sort changed) and shows the first page alerts were re-read and placed (ids): their rows show their current state no read is waiting or running any more (tests and benchmarks wait for it) how the current free text is found: True through the trigram index, False by a scan along the order, None not yet known node names, read with the rows (only by this model&apos;s reads, which run one at a time)</extracomment>
        <translation>此列不能排序</translation>
    </message>
    <message>
        <source>Muted</source>
        <translation>已静音</translation>
    </message>
    <message numerus="yes">
        <source>(and %n more)</source>
        <translation>
            <numerusform>（另有 %n 条）</numerusform>
        </translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation>未执行：%1</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Local change waiting to be sent</source>
        <translation>本地操作待发送</translation>
    </message>
    <message>
        <source>Conflict with the server: see Conflicts</source>
        <translation>与服务器冲突：请到“冲突”中处理</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Severity</source>
        <extracomment>Columns: (key, header, the sortable column it orders by, or None when the column cannot sort).</extracomment>
        <translation>等级</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Case / petition</source>
        <translation>办件 / 信访</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Raised at</source>
        <translation>产生时间</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>(supervision notice)</source>
        <translation>（督办通知）</translation>
    </message>
    <message>
        <source>(office)</source>
        <translation>（单位）</translation>
    </message>
    <message>
        <source> (cleared)</source>
        <translation>（条件已消除）</translation>
    </message>
    <message>
        <source>Your change is waiting to be sent to the server.</source>
        <translation>您的操作正等待发送到服务器。</translation>
    </message>
    <message>
        <source>Your change conflicts with the server&apos;s: see Conflicts.</source>
        <translation>您的操作与服务器上的变更冲突：请到“冲突”中处理。</translation>
    </message>
    <message>
        <source>The condition has cleared since a person handled this alert.</source>
        <translation>人工处理后，触发条件已消除。</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Yingyan</source>
        <translation>鹰眼</translation>
    </message>
    <message>
        <source>No server is configured. Start with --server https://host:8443, set YINGYAN_SERVER_URL, or write server_url in %1.</source>
        <translation>未配置服务器。请用 --server https://主机:8443 启动，或设置 YINGYAN_SERVER_URL，或在 %1 中写入 server_url。</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign</source>
        <translation>指派</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n alert(s) to:</source>
        <translation>
            <numerusform>将 %n 条预警指派给：</numerusform>
        </translation>
    </message>
    <message>
        <source>(nobody: unassign)</source>
        <translation>（不指派：取消指派）</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>指派给</translation>
    </message>
    <message>
        <source>No active user is called %1.</source>
        <translation>没有名为 %1 的在职用户。</translation>
    </message>
    <message>
        <source>Loading the list of users…</source>
        <translation>正在读取用户列表…</translation>
    </message>
    <message>
        <source>The list of users could not be loaded; the server will check the name.</source>
        <translation>无法读取用户列表；将由服务器核对该用户名。</translation>
    </message>
</context>
<context>
    <name>AttachDialog</name>
    <message>
        <source>Attach evidence</source>
        <translation>附加证据</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>(nothing: a new document)</source>
        <translation>（无：新文件）</translation>
    </message>
    <message>
        <source>Corrects</source>
        <translation>更正的文件</translation>
    </message>
</context>
<context>
    <name>BigScreen</name>
    <message>
        <source>Yingyan big screen</source>
        <translation>鹰眼电子监察大屏</translation>
    </message>
    <message>
        <source>Esc leaves · Space pauses the cycle · V shows video</source>
        <translation>Esc 退出 · 空格 暂停轮播 · V 切换视频</translation>
    </message>
</context>
<context>
    <name>CardDialog</name>
    <message>
        <source>Issue a card</source>
        <translation>签发黄牌/红牌</translation>
    </message>
    <message>
        <source>Yellow card</source>
        <translation>黄牌</translation>
    </message>
    <message>
        <source>Red card</source>
        <translation>红牌</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>牌</translation>
    </message>
    <message>
        <source>optional: the person in the unit</source>
        <translation>可选：单位中的责任人</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
</context>
<context>
    <name>CardsRegister</name>
    <message>
        <source>Revoke…</source>
        <translation>撤销…</translation>
    </message>
    <message>
        <source>Revoke the card</source>
        <translation>撤销该牌</translation>
    </message>
    <message>
        <source>Why is the card revoked? It stays on record as revoked.</source>
        <translation>撤销理由？该牌将以“已撤销”状态留存备查。</translation>
    </message>
    <message>
        <source>Annotate…</source>
        <translation>批阅…</translation>
    </message>
    <message>
        <source>Leader&apos;s annotation</source>
        <translation>领导批阅</translation>
    </message>
    <message>
        <source>Your annotation (批阅):</source>
        <translation>批阅意见：</translation>
    </message>
    <message>
        <source>%1 yellow and %2 red cards in force</source>
        <translation>有效黄牌 %1 张，红牌 %2 张</translation>
    </message>
</context>
<context>
    <name>CaseFile</name>
    <message>
        <source>✓ verified (SHA-256 matches)</source>
        <translation>✓ 已核验（SHA-256 一致）</translation>
    </message>
    <message>
        <source>✗ DOES NOT MATCH its SHA-256</source>
        <translation>✗ 与 SHA-256 不符</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>kept here, not yet uploaded</source>
        <translation>已存本机，尚未上传</translation>
    </message>
    <message>
        <source>not on this computer</source>
        <translation>本机无此文件</translation>
    </message>
    <message>
        <source>corrects %1…</source>
        <translation>更正 %1…</translation>
    </message>
    <message>
        <source>superseded by %1…</source>
        <translation>已被 %1… 替代</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Attached by</source>
        <translation>附加人</translation>
    </message>
    <message>
        <source>Attached at</source>
        <translation>附加时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>核验</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>更正关系</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>会审人</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>The case cannot move into “%1”: missing %2</source>
        <translation>案件不能转入“%1”：缺少%2</translation>
    </message>
    <message>
        <source>The case cannot move from “%1” to “%2”: it may move only to %3</source>
        <translation>案件不能从“%1”转入“%2”：只能转入%3</translation>
    </message>
    <message>
        <source>The case cannot move to “%1” now: stages are taken one at a time, in order, never back</source>
        <translation>案件现在不能转入“%1”：各阶段须依次办理，不能跳过，也不能回退</translation>
    </message>
</context>
<context>
    <name>CaseFileView</name>
    <message>
        <source>Decide…</source>
        <extracomment>a message for the status bar the person asks to decide a conflict (raise the outbox pane) a case file finished showing (tests and screenshots wait on it) (sha256, verified / mismatch / missing): a kept file was hashed again before opening it sha256 → verified / mismatch / missing, from the last re-hash of the kept files opens a verified file (tests replace it) the case whose evidence is being fetched (one fetch at a time)</extracomment>
        <translation>处理…</translation>
    </message>
    <message>
        <source>Move to the next stage…</source>
        <translation>转入下一阶段…</translation>
    </message>
    <message>
        <source>Attach files…</source>
        <translation>附加文件…</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>记录…</translation>
    </message>
    <message>
        <source>Request review…</source>
        <translation>提请会审…</translation>
    </message>
    <message>
        <source>Opinion…</source>
        <translation>会审意见…</translation>
    </message>
    <message>
        <source>Approve filing…</source>
        <translation>批准立案…</translation>
    </message>
    <message>
        <source>Annotate (批阅)…</source>
        <translation>批阅…</translation>
    </message>
    <message>
        <source>Case report (PDF)…</source>
        <translation>案件报告（PDF）…</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Opinions</source>
        <translation>会审意见</translation>
    </message>
    <message>
        <source>Notes and annotations</source>
        <translation>记录与批阅</translation>
    </message>
    <message>
        <source>Linked alerts</source>
        <translation>关联预警</translation>
    </message>
    <message>
        <source>Drop files here to attach them as evidence.</source>
        <translation>将文件拖放到此处即可附加为证据。</translation>
    </message>
    <message>
        <source>Choose a case in the list.</source>
        <translation>请在列表中选择案件。</translation>
    </message>
    <message>
        <source>This case is not on this computer.</source>
        <translation>本机没有该案件。</translation>
    </message>
    <message>
        <source>%1 of your changes not yet sent</source>
        <translation>%1 项修改尚未发送</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Investigators</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>立项于</translation>
    </message>
    <message>
        <source>⚠ Your “%1” came back from the server: %2</source>
        <translation>⚠ 您的“%1”被服务器退回：%2</translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation>下一步：%1</translation>
    </message>
    <message>
        <source>This case has ended: nothing moves it any more.</source>
        <translation>本案已办结，不能再变更阶段。</translation>
    </message>
    <message>
        <source>To move into “%1”:</source>
        <translation>转入“%1”需要：</translation>
    </message>
    <message>
        <source>nothing is required.</source>
        <translation>无前置条件。</translation>
    </message>
    <message>
        <source>awaited</source>
        <translation>待提交</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <source>or end it: %1</source>
        <translation>或：%1</translation>
    </message>
    <message>
        <source>Move to “%1”…</source>
        <translation>转入“%1”…</translation>
    </message>
    <message>
        <source>⚠ The copy of %1 on this computer DOES NOT MATCH the SHA-256 recorded when it was attached: its bytes have been changed. It is not verified and will not be opened.</source>
        <translation>⚠ 本机保存的 %1 与附加时登记的 SHA-256 不符：文件内容已被改动。该文件未通过核验，不予打开。</translation>
    </message>
    <message>
        <source>「%1」 is not on this computer yet: it is fetched when the server answers.</source>
        <translation>「%1」尚未保存到本机：连上服务器后自动获取。</translation>
    </message>
    <message>
        <source>“%1” recorded</source>
        <translation>已记录“%1”</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>A note in the case&apos;s timeline:</source>
        <translation>记入案件时间线：</translation>
    </message>
    <message>
        <source>Annotate (批阅)</source>
        <translation>批阅</translation>
    </message>
    <message>
        <source>Your annotation, shown to everyone on the case:</source>
        <translation>批阅意见（本案所有人员可见）：</translation>
    </message>
    <message>
        <source>Approve filing</source>
        <translation>批准立案</translation>
    </message>
    <message>
        <source>Approve filing this case (remark optional):</source>
        <translation>批准本案立案（可填写意见）：</translation>
    </message>
    <message>
        <source>Attach evidence</source>
        <translation>附加证据</translation>
    </message>
    <message>
        <source>「%1」 uploaded</source>
        <translation>「%1」已上传</translation>
    </message>
    <message>
        <source>「%1」 kept on this computer: it is uploaded when the server answers</source>
        <translation>「%1」已保存到本机：连上服务器后自动上传</translation>
    </message>
    <message>
        <source>「%1」 cannot be attached: %2</source>
        <translation>「%1」无法附加：%2</translation>
    </message>
    <message>
        <source>%1: %p%</source>
        <translation>%1：%p%</translation>
    </message>
    <message>
        <source>Case report</source>
        <translation>案件报告</translation>
    </message>
    <message>
        <source>Case report saved: %1</source>
        <translation>案件报告已保存：%1</translation>
    </message>
    <message>
        <source>The case report could not be saved: %1</source>
        <translation>案件报告未能保存：%1</translation>
    </message>
</context>
<context>
    <name>CasePane</name>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Opinion / reason</source>
        <translation>意见 / 理由</translation>
    </message>
    <message>
        <source>Back-dated</source>
        <translation>补录</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Raised at</source>
        <translation>产生时间</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>批注</translation>
    </message>
    <message>
        <source>No case open: select an alert and press Enter</source>
        <extracomment>the server answered 401 to the case&apos;s fetch: the token may have been refused (office, case_no) once a case is on screen (from cache or server) what the replica holds of the open case (read with it)</extracomment>
        <translation>未打开办件：选中预警后按 Enter</translation>
    </message>
    <message>
        <source>Show camera</source>
        <translation>查看窗口视频</translation>
    </message>
    <message>
        <source>Show the office&apos;s service window on the video wall</source>
        <translation>在视频墙上显示该单位的服务窗口</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>办理过程</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>群众评价</translation>
    </message>
    <message>
        <source>Loading the case from the server…</source>
        <translation>正在从服务器读取办件…</translation>
    </message>
    <message>
        <source>Loading the case…</source>
        <translation>正在读取办件…</translation>
    </message>
    <message>
        <source>Offline: showing the copy kept on this computer</source>
        <translation>离线：显示本机保存的副本</translation>
    </message>
    <message>
        <source>Offline, and this case was never opened on this computer</source>
        <translation>离线，且本机从未打开过此办件</translation>
    </message>
    <message>
        <source>Signed out: showing the copy kept on this computer</source>
        <translation>已退出登录：显示本机保存的副本</translation>
    </message>
    <message>
        <source>Signed out: sign in again to load this case</source>
        <translation>已退出登录：重新登录后才能加载此办件</translation>
    </message>
    <message>
        <source>catalogue version %1</source>
        <translation>目录版本 %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>%1 working days</source>
        <translation>%1 个工作日</translation>
    </message>
    <message>
        <source>%1 of %2 working days</source>
        <translation>%1 / %2 个工作日</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>已用</translation>
    </message>
    <message>
        <source>provisional: the holidays of %1 are not loaded</source>
        <translation>暂定：%1 年节假日安排尚未载入</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>预警点</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Offline copy from %1</source>
        <translation>离线副本（%1）</translation>
    </message>
    <message>
        <source>No camera watches this office</source>
        <translation>该单位没有摄像头</translation>
    </message>
</context>
<context>
    <name>CaseReport</name>
    <message>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>立项</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>最后变更</translation>
    </message>
    <message>
        <source>Investigators</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Reviewers</source>
        <translation>会审人</translation>
    </message>
    <message>
        <source>Filing approved by</source>
        <translation>立案批准人</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>corrects %1</source>
        <translation>更正 %1</translation>
    </message>
    <message>
        <source>superseded by %1</source>
        <translation>已被 %1 替代</translation>
    </message>
    <message>
        <source>Awaited: %1</source>
        <translation>尚待意见：%1</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Investigator</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>会审人</translation>
    </message>
    <message>
        <source>Leader in charge</source>
        <translation>分管领导</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Investigation case report</source>
        <translation>案件办理报告</translation>
    </message>
    <message>
        <source>Stage history</source>
        <translation>阶段历程</translation>
    </message>
    <message>
        <source>Opinions of the reviewers</source>
        <translation>会审意见</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据清单</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>签字栏</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Attached</source>
        <translation>附加人及时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Case report: %1</source>
        <translation>案件报告：%1</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Comment</source>
        <translation>批注</translation>
    </message>
    <message numerus="yes">
        <source>Comment on %n alert(s):</source>
        <translation>
            <numerusform>为 %n 条预警添加批注：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <source>waiting to send</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Your action</source>
        <translation>我的操作</translation>
    </message>
    <message>
        <source>Server now</source>
        <translation>服务器当前</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>排队时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>based on version</source>
        <translation>基于版本</translation>
    </message>
    <message>
        <source>“%1” cannot follow on an alert that is now “%2”</source>
        <translation>该预警现为“%2”，不能再“%1”</translation>
    </message>
    <message>
        <source>case “%1”</source>
        <translation>案件“%1”</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Investigators</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>办理中</translation>
    </message>
</context>
<context>
    <name>ConflictsPane</name>
    <message>
        <source>Keep the server&apos;s version</source>
        <extracomment>(mutation id, retry) alert id to show on the wall (entity, id) of another kind to show (an investigation&apos;s case file) the outbox was read again (``counts`` are current)</extracomment>
        <translation>保留服务器版本</translation>
    </message>
    <message>
        <source>Apply mine again</source>
        <translation>重新执行我的操作</translation>
    </message>
    <message>
        <source>Send your action again, on top of the server&apos;s current version</source>
        <translation>在服务器当前版本上重新发送我的操作</translation>
    </message>
    <message>
        <source>%1 waiting to send · %2 conflicts · %3 rejected</source>
        <translation>%1 条待发送 · %2 条冲突 · %3 条被拒绝</translation>
    </message>
    <message>
        <source>Your action no longer applies to the server&apos;s version: %1</source>
        <translation>您的操作已不适用于服务器上的当前版本：%1</translation>
    </message>
    <message>
        <source>Drop your offline action; it stays as the server has it</source>
        <translation>放弃离线时的操作，以服务器上的版本为准</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <source>Acknowledge the selected alerts</source>
        <translation>确认所选预警</translation>
    </message>
    <message>
        <source>Escalate (a yellow signal becomes red)</source>
        <translation>升级（黄色预警转为红色警示）</translation>
    </message>
    <message>
        <source>Dismiss with a reason</source>
        <translation>说明理由后排除</translation>
    </message>
    <message>
        <source>Assign to a person</source>
        <translation>指派给专人</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>批注</translation>
    </message>
    <message>
        <source>Promote to an investigation case</source>
        <translation>转为调查案件</translation>
    </message>
    <message>
        <source>Open the case of the current alert</source>
        <translation>查看当前预警的办件</translation>
    </message>
    <message>
        <source>Mute or unmute the alarm</source>
        <translation>报警声静音 / 取消静音</translation>
    </message>
    <message>
        <source>Search the wall</source>
        <translation>搜索预警墙</translation>
    </message>
    <message>
        <source>Alert wall</source>
        <extracomment>the status bar&apos;s request to decide conflicts, cleared once none is left the question asked before quitting or signing out with changes not yet sent (while open) why the video wall could not be loaded (libvlc missing or broken): not retried</extracomment>
        <translation>预警墙</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计分析</translation>
    </message>
    <message>
        <source>Case review</source>
        <translation>办件审查</translation>
    </message>
    <message>
        <source>Video wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <source>Big screen (press Esc to leave)</source>
        <translation>监察大屏（Esc 退出）</translation>
    </message>
    <message>
        <source>Work offline / go back online</source>
        <translation>脱机工作 / 恢复联网</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>本列表</translation>
    </message>
    <message>
        <source>Quit (File → Sign out lets another user sign in)</source>
        <translation>退出（“文件 → 注销”可换其他用户登录）</translation>
    </message>
    <message>
        <source>Yingyan supervision console — %1</source>
        <extracomment>roles the server lets read the evaluation and the risk index signed in again after the token was refused (the login answer, without the token) the operator chose File → Sign out (and confirmed it): the application signs them out</extracomment>
        <translation>鹰眼电子监察控制台 — %1</translation>
    </message>
    <message>
        <source>Outbox and conflicts</source>
        <translation>待发送与冲突</translation>
    </message>
    <message>
        <source>Loading the video wall…</source>
        <translation>正在加载视频墙…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Triage</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>Work offline</source>
        <translation>脱机工作</translation>
    </message>
    <message>
        <source>Big screen</source>
        <translation>监察大屏</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>注销…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Language (applies at next start)</source>
        <translation>语言（下次启动生效）</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主题</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>%1 of your changes conflict with the server and %2 were rejected: decide in Conflicts</source>
        <translation>您有 %1 项操作与服务器冲突、%2 项被拒绝：请在“冲突”中处理</translation>
    </message>
    <message>
        <source>Outbox: %1 waiting</source>
        <translation>待发送：%1 条</translation>
    </message>
    <message>
        <source>%1 to decide</source>
        <translation>%1 条待处理</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Catching up</source>
        <translation>同步中</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>已退出登录</translation>
    </message>
    <message>
        <source>Working offline</source>
        <translation>脱机工作</translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>自 %1 起</translation>
    </message>
    <message>
        <source>The server no longer accepts your sign-in (it expired or was revoked).</source>
        <translation>服务器不再接受您的登录（已过期或已被撤销）。</translation>
    </message>
    <message>
        <source>Nothing is synchronised until you sign in again.</source>
        <translation>重新登录之前不会同步任何数据。</translation>
    </message>
    <message>
        <source>Your action can no longer follow the server&apos;s version of the alert; the conflict stays: keep the server&apos;s version, or act anew on the alert</source>
        <translation>您的操作已不能接在服务器上该预警的当前版本之后；冲突保留：请保留服务器的版本，或对该预警重新操作</translation>
    </message>
    <message>
        <source>The video wall is not available: %1</source>
        <translation>视频墙不可用：%1</translation>
    </message>
    <message>
        <source>Camera %1 is not on the wall</source>
        <translation>摄像头 %1 不在视频墙上</translation>
    </message>
    <message>
        <source>%1 of your changes have not reached the server yet. They are kept on this computer and sent at the next start. Quit anyway?</source>
        <translation>您有 %1 项操作尚未送达服务器。它们保留在本机，下次启动时发送。仍要退出吗？</translation>
    </message>
    <message>
        <source>%1 of your changes have not reached the server yet. They are kept on this computer and sent when you sign in again. Sign out anyway?</source>
        <translation>您有 %1 项操作尚未送达服务器。它们保留在本机，您再次登录时发送。仍要注销吗？</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Changes not yet sent</source>
        <translation>操作尚未发送</translation>
    </message>
    <message>
        <source>Sign in again…</source>
        <translation>重新登录…</translation>
    </message>
    <message>
        <source>your changes are kept and sent when you go back online</source>
        <translation>您的操作已保留，恢复联机后发送</translation>
    </message>
    <message>
        <source>%1 of your changes are kept and will be sent then.</source>
        <translation>您的 %1 项操作已保存，重新登录后发送。</translation>
    </message>
    <message>
        <source>You can keep working: your changes are kept and sent then.</source>
        <translation>您可以继续工作：操作会保存，重新登录后发送。</translation>
    </message>
    <message>
        <source>Signed in again: synchronising and sending your changes</source>
        <translation>已重新登录：正在同步并发送您的操作</translation>
    </message>
</context>
<context>
    <name>DeskHooks</name>
    <message>
        <source>Petition desk</source>
        <translation>信访台</translation>
    </message>
    <message>
        <source>&amp;Petitions</source>
        <translation>信访(&amp;P)</translation>
    </message>
    <message>
        <source>Register a petition…</source>
        <translation>登记信访件…</translation>
    </message>
</context>
<context>
    <name>DeskPane</name>
    <message>
        <source>Receipt code</source>
        <translation>查询码</translation>
    </message>
    <message>
        <source>About</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Register a petition…</source>
        <extracomment>where receipt slips are written the centre&apos;s office code, from the replica&apos;s offices</extracomment>
        <translation>登记信访件…</translation>
    </message>
    <message>
        <source>Open petitions</source>
        <translation>在办信访件</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>只看超期</translation>
    </message>
    <message>
        <source>Search: receipt code, whom it is about, content</source>
        <translation>搜索：查询码、被反映人、内容</translation>
    </message>
    <message>
        <source>The desk&apos;s list could not be read: %1</source>
        <translation>无法读取信访列表：%1</translation>
    </message>
    <message>
        <source>%1 petitions, %2 overdue</source>
        <translation>共 %1 件，超期 %2 件</translation>
    </message>
    <message>
        <source>The registration waits for the server. This computer has no keyring: keep the console open until it is sent, or it is lost.</source>
        <translation>登记待发送到服务器。本机没有系统密钥环：请保持本程序运行直至发送完成，否则该登记将丢失。</translation>
    </message>
    <message>
        <source>Registered (anonymous, no status query: no receipt slip).</source>
        <translation>已登记（匿名且不查询进度，不打印回执）。</translation>
    </message>
    <message>
        <source>Receipt slip for %1: &lt;a href=&quot;%2&quot;&gt;open to print&lt;/a&gt;</source>
        <translation>查询码 %1 的回执单：&lt;a href=&quot;%2&quot;&gt;打开并打印&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Registered %1; the receipt slip is ready to print.</source>
        <translation>已登记 %1，回执单可打印。</translation>
    </message>
    <message>
        <source>The receipt slip could not be written: %1</source>
        <translation>无法生成回执单：%1</translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message>
        <source>Dismiss alerts</source>
        <translation>排除预警</translation>
    </message>
    <message numerus="yes">
        <source>Dismiss %n alert(s). The reason is kept in the audit log.</source>
        <translation>
            <numerusform>排除 %n 条预警。理由将记入审计日志。</numerusform>
        </translation>
    </message>
    <message>
        <source>False positive: the records were correct</source>
        <translation>误报：数据无误</translation>
    </message>
    <message>
        <source>Handled offline with the office</source>
        <translation>已与单位线下处理</translation>
    </message>
    <message>
        <source>Records back-filled by the office</source>
        <translation>单位已补录数据</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>Evidence</name>
    <message>
        <source>Due</source>
        <extracomment>Evidence keys the rules use, with their labels (context ``Evidence``).</extracomment>
        <translation>到期时间</translation>
    </message>
    <message>
        <source>Warning from</source>
        <translation>预警起点</translation>
    </message>
    <message>
        <source>Checked at</source>
        <translation>检查时间</translation>
    </message>
    <message>
        <source>Office data complete until</source>
        <translation>单位数据完整至</translation>
    </message>
    <message>
        <source>Hours without data</source>
        <translation>无数据小时数</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收件</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Clock started</source>
        <translation>开始计时</translation>
    </message>
    <message>
        <source>Counted from</source>
        <translation>起算时间</translation>
    </message>
    <message>
        <source>Decided at</source>
        <translation>决定时间</translation>
    </message>
    <message>
        <source>Finished at</source>
        <translation>办结时间</translation>
    </message>
    <message>
        <source>Closed by</source>
        <translation>办结事项</translation>
    </message>
    <message>
        <source>Node completed by</source>
        <translation>环节办结事项</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>办结决定</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>相关事件</translation>
    </message>
    <message>
        <source>Changes after closing</source>
        <translation>办结后的变更</translation>
    </message>
    <message>
        <source>Done before it by</source>
        <translation>此前已办理</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <source>Node limit (working days)</source>
        <translation>环节时限（工作日）</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>群众评价</translation>
    </message>
    <message>
        <source>Suspensions</source>
        <translation>暂停计时</translation>
    </message>
    <message>
        <source>Same person on both steps</source>
        <translation>同一人办理两个环节</translation>
    </message>
    <message>
        <source>Charged</source>
        <translation>实收金额</translation>
    </message>
    <message>
        <source>Standard fee</source>
        <translation>收费标准</translation>
    </message>
    <message>
        <source>Earlier case</source>
        <translation>此前办件</translation>
    </message>
    <message>
        <source>Petition</source>
        <translation>信访件</translation>
    </message>
    <message>
        <source>Reason code</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>case %1 (office %2), received %3</source>
        <extracomment>How many entries of a list are written out before &quot;and N more&quot;.</extracomment>
        <translation>办件 %1（单位 %2），%3 收件</translation>
    </message>
    <message>
        <source>%1, received %2</source>
        <translation>%1，%2 收到</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>另有 %1 条</translation>
    </message>
    <message>
        <source>Earlier petition</source>
        <translation>此前信访件</translation>
    </message>
</context>
<context>
    <name>Groups</name>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
</context>
<context>
    <name>InvestigationHooks</name>
    <message>
        <source>Investigations</source>
        <extracomment>the roles that may see some investigation</extracomment>
        <translation>案件管理</translation>
    </message>
</context>
<context>
    <name>Investigations</name>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Investigators</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>最后变更</translation>
    </message>
</context>
<context>
    <name>InvestigationsPane</name>
    <message>
        <source>All stages</source>
        <extracomment>the replica&apos;s order (a key of ``investigations.ORDERS``) each column&apos;s header asks for the list&apos;s stage filter: every case, each stage (open cases at it), the two endings cases read per page of the list the list was read again and shown (tests and benchmarks wait on it) the list&apos;s order: (a key of ``investigations.ORDERS``, descending)</extracomment>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>Filter: case, subject, unit, investigator</source>
        <translation>筛选：案件、被反映人、单位、承办人</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Only the cases I am assigned to or asked to review</source>
        <translation>只看我承办或受邀会审的案件</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>%1 cases</source>
        <extracomment>how many cases the filter matches (None while it is counted)</extracomment>
        <translation>%1 件</translation>
    </message>
    <message>
        <source>%1 of %2 cases</source>
        <translation>%1 / %2 件</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>red</source>
        <extracomment>lupdate reads the literal (context, text) pairs of every translate(...) call.</extracomment>
        <translation>红色</translation>
    </message>
    <message>
        <source>yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>promoted</source>
        <translation>已转案件</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已消除</translation>
    </message>
    <message>
        <source>acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>dismiss</source>
        <translation>排除</translation>
    </message>
    <message>
        <source>promote</source>
        <translation>转为案件</translation>
    </message>
    <message>
        <source>assign</source>
        <translation>指派</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>批注</translation>
    </message>
    <message>
        <source>leader&apos;s annotation</source>
        <translation>领导批阅</translation>
    </message>
    <message>
        <source>issue</source>
        <translation>签发</translation>
    </message>
    <message>
        <source>revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>yellow card</source>
        <translation>黄牌</translation>
    </message>
    <message>
        <source>red card</source>
        <translation>红牌</translation>
    </message>
    <message>
        <source>in force</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>awaiting reply</source>
        <translation>待回复</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>replied</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>replied late</source>
        <translation>逾期回复</translation>
    </message>
    <message>
        <source>green</source>
        <translation>绿</translation>
    </message>
    <message>
        <source>alert</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>card</source>
        <translation>黄牌/红牌</translation>
    </message>
    <message>
        <source>supervision notice</source>
        <translation>督办通知书</translation>
    </message>
    <message>
        <source>case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>petition</source>
        <translation>信访件</translation>
    </message>
    <message>
        <source>received</source>
        <translation>收件</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>suspended</source>
        <translation>暂停计时</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>准予许可</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>不予许可</translation>
    </message>
    <message>
        <source>not accepted</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>node completed</source>
        <translation>环节办结</translation>
    </message>
    <message>
        <source>resumed</source>
        <translation>恢复计时</translation>
    </message>
    <message>
        <source>fee charged</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>decided</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>送达</translation>
    </message>
    <message>
        <source>supplementing materials</source>
        <translation>补正材料</translation>
    </message>
    <message>
        <source>hearing</source>
        <translation>听证</translation>
    </message>
    <message>
        <source>inspection and testing</source>
        <translation>检验检测</translation>
    </message>
    <message>
        <source>expert review</source>
        <translation>专家评审</translation>
    </message>
    <message>
        <source>public notice</source>
        <translation>公示</translation>
    </message>
    <message>
        <source>bidding and auction</source>
        <translation>招标拍卖</translation>
    </message>
    <message>
        <source>node</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message>
        <source>reason code</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>acceptance</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>decision</source>
        <translation>审批决定</translation>
    </message>
    <message>
        <source>petition %1</source>
        <translation>信访件 %1</translation>
    </message>
    <message>
        <source>satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>very poor</source>
        <translation>很差</translation>
    </message>
    <message>
        <source>register a petition</source>
        <translation>登记信访件</translation>
    </message>
    <message>
        <source>accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>not accept</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>extend</source>
        <translation>延期</translation>
    </message>
    <message>
        <source>close</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>convert to an investigation</source>
        <translation>转立案</translation>
    </message>
    <message>
        <source>registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>letter</source>
        <translation>来信</translation>
    </message>
    <message>
        <source>visit</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>online</source>
        <translation>网上</translation>
    </message>
    <message>
        <source>hotline</source>
        <translation>热线</translation>
    </message>
    <message>
        <source>land</source>
        <translation>土地</translation>
    </message>
    <message>
        <source>approvals</source>
        <translation>行政审批</translation>
    </message>
    <message>
        <source>conduct</source>
        <translation>作风</translation>
    </message>
    <message>
        <source>fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>assigned to a unit</source>
        <translation>交办</translation>
    </message>
    <message>
        <source>handling extended</source>
        <translation>延期办理</translation>
    </message>
    <message>
        <source>merged into another</source>
        <translation>并入他件</translation>
    </message>
    <message>
        <source>same person</source>
        <translation>同一被反映人</translation>
    </message>
    <message>
        <source>similar name</source>
        <translation>被反映人姓名相近</translation>
    </message>
    <message>
        <source>same unit</source>
        <translation>同一单位</translation>
    </message>
    <message>
        <source>similar unit</source>
        <translation>单位相近</translation>
    </message>
    <message>
        <source>similar content</source>
        <translation>内容相似</translation>
    </message>
    <message>
        <source>likely the same complaint</source>
        <translation>很可能是同一诉求</translation>
    </message>
    <message>
        <source>open the case</source>
        <translation>立项</translation>
    </message>
    <message>
        <source>move to a stage</source>
        <translation>推进阶段</translation>
    </message>
    <message>
        <source>approve filing</source>
        <translation>批准立案</translation>
    </message>
    <message>
        <source>attach evidence</source>
        <translation>附加证据</translation>
    </message>
    <message>
        <source>request a joint review</source>
        <translation>提请会审</translation>
    </message>
    <message>
        <source>review opinion</source>
        <translation>会审意见</translation>
    </message>
    <message>
        <source>preliminary check</source>
        <translation>初核</translation>
    </message>
    <message>
        <source>filing</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>investigation</source>
        <translation>调查</translation>
    </message>
    <message>
        <source>trial review</source>
        <translation>审理</translation>
    </message>
    <message>
        <source>execution</source>
        <translation>执行</translation>
    </message>
    <message>
        <source>supervision</source>
        <translation>监督</translation>
    </message>
    <message>
        <source>concluded</source>
        <translation>予以了结</translation>
    </message>
    <message>
        <source>preliminary check report</source>
        <translation>初核报告</translation>
    </message>
    <message>
        <source>investigation report</source>
        <translation>调查报告</translation>
    </message>
    <message>
        <source>trial decision</source>
        <translation>审理决定</translation>
    </message>
    <message>
        <source>execution record</source>
        <translation>执行记录</translation>
    </message>
    <message>
        <source>agree</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>dissent</source>
        <translation>不同意</translation>
    </message>
    <message>
        <source>the review opinion of %1</source>
        <translation>%1 的会审意见</translation>
    </message>
    <message>
        <source>a leader&apos;s filing approval</source>
        <translation>领导立案审批</translation>
    </message>
</context>
<context>
    <name>LeaderOverview</name>
    <message>
        <source>Trends (12 months)</source>
        <extracomment>the month&apos;s figures arrived (the ``Figures``)</extracomment>
        <translation>趋势（近12个月）</translation>
    </message>
    <message>
        <source>Evaluation ranking</source>
        <translation>效能评估排名</translation>
    </message>
    <message>
        <source>Risk index</source>
        <translation>勤廉风险指数</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <source>Print report (PDF)…</source>
        <translation>打印报告（PDF）…</translation>
    </message>
    <message>
        <source>Cases supervised and decided</source>
        <translation>监察件数与办结件数</translation>
    </message>
    <message>
        <source>Early, one-time completion and satisfaction (%)</source>
        <translation>提前办结率、一次办结率与满意率（%）</translation>
    </message>
    <message>
        <source>Average working days used</source>
        <translation>平均办理工作日</translation>
    </message>
    <message>
        <source>Warnings and cards</source>
        <translation>预警与黄红牌</translation>
    </message>
    <message>
        <source>Offices (townships)</source>
        <translation>按单位（乡镇）</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>按部门</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>按单位</translation>
    </message>
    <message>
        <source>People</source>
        <translation>按人员</translation>
    </message>
    <message>
        <source>Choose a unit, then a point: the record that cost it shows here.</source>
        <translation>先选单位，再选扣分项：扣分所依据的记录显示在此。</translation>
    </message>
    <message>
        <source>Annotate this record…</source>
        <translation>批阅此记录…</translation>
    </message>
    <message>
        <source>Reading the figures from the server…</source>
        <translation>正在从服务器读取数据…</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>Could not read the figures: %1</source>
        <translation>无法读取数据：%1</translation>
    </message>
    <message>
        <source>Figures for %1 as computed by the server</source>
        <translation>%1 数据（由服务器计算）</translation>
    </message>
    <message>
        <source>month before: %1</source>
        <translation>上月：%1</translation>
    </message>
    <message>
        <source>received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>decided</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>early completion</source>
        <translation>提前办结</translation>
    </message>
    <message>
        <source>one-time completion</source>
        <translation>一次办结</translation>
    </message>
    <message>
        <source>satisfaction</source>
        <translation>满意率</translation>
    </message>
    <message>
        <source>working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>red alerts</source>
        <translation>红色预警</translation>
    </message>
    <message>
        <source>yellow alerts</source>
        <translation>黄色预警</translation>
    </message>
    <message>
        <source>cards</source>
        <translation>黄红牌</translation>
    </message>
    <message>
        <source>Leader&apos;s annotation</source>
        <translation>领导批阅</translation>
    </message>
    <message>
        <source>Your annotation (批阅):</source>
        <translation>批阅意见：</translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation>未执行：%1</translation>
    </message>
    <message>
        <source>Annotation saved; it is sent to the server with the outbox</source>
        <translation>批阅已保存，将随待发队列发送到服务器</translation>
    </message>
    <message>
        <source>The figures have not arrived yet</source>
        <translation>数据尚未读取完成</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export the evaluation</source>
        <translation>导出效能评估</translation>
    </message>
    <message>
        <source>Written to %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Could not write the report: %1</source>
        <translation>无法写入报告：%1</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <source>Issue a supervision notice</source>
        <translation>签发督办通知书</translation>
    </message>
    <message>
        <source>Supervision notice on %1</source>
        <translation>关于%1的督办通知</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Please reply in writing by the date due.</source>
        <translation>请于期限内书面回复。</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <source>Reply within</source>
        <translation>回复期限</translation>
    </message>
</context>
<context>
    <name>NoticesTracker</name>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>all notices</source>
        <translation>全部通知</translation>
    </message>
    <message>
        <source>awaiting reply</source>
        <translation>待回复</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>replied</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>Record a reply on paper…</source>
        <translation>登记纸质回复…</translation>
    </message>
    <message>
        <source>Reply received on paper</source>
        <translation>收到的纸质回复</translation>
    </message>
    <message>
        <source>The unit&apos;s written reply, as received:</source>
        <translation>单位的书面回复（按收到内容登记）：</translation>
    </message>
    <message>
        <source>Annotate…</source>
        <translation>批阅…</translation>
    </message>
    <message>
        <source>Leader&apos;s annotation</source>
        <translation>领导批阅</translation>
    </message>
    <message>
        <source>Your annotation (批阅):</source>
        <translation>批阅意见：</translation>
    </message>
    <message>
        <source>%1 awaiting a reply, %2 overdue</source>
        <translation>待回复 %1 件，逾期 %2 件</translation>
    </message>
</context>
<context>
    <name>OpinionDialog</name>
    <message>
        <source>Review opinion</source>
        <translation>会审意见</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Give your reasons.</source>
        <translation>请写明理由。</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>最多 %n 个字。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Oversight</name>
    <message>
        <source>&amp;Supervision</source>
        <translation>督办(&amp;S)</translation>
    </message>
    <message>
        <source>Issue a card for the selected alerts… (K)</source>
        <translation>对所选预警签发黄牌/红牌…（K）</translation>
    </message>
    <message>
        <source>Issue a supervision notice for the selected alerts… (N)</source>
        <translation>对所选预警签发督办通知书…（N）</translation>
    </message>
    <message>
        <source>Annotate the selected alerts… (B)</source>
        <translation>批阅所选预警…（B）</translation>
    </message>
    <message>
        <source>Notices tracker</source>
        <translation>督办通知跟踪</translation>
    </message>
    <message>
        <source>Cards register</source>
        <translation>黄红牌登记簿</translation>
    </message>
    <message>
        <source>Leader&apos;s overview</source>
        <translation>领导总览</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Notices</source>
        <translation>督办通知</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>黄红牌</translation>
    </message>
    <message>
        <source>Alert #%1 is not on the wall as it is filtered</source>
        <translation>预警 #%1 不在当前筛选的预警墙上</translation>
    </message>
    <message>
        <source>Not issued: %1</source>
        <translation>未签发：%1</translation>
    </message>
    <message>
        <source>%1 issued to %2</source>
        <translation>已向 %2 签发%1</translation>
    </message>
    <message>
        <source>Supervision notice issued to %1</source>
        <translation>已向 %1 签发督办通知书</translation>
    </message>
    <message>
        <source>Select alerts on the wall first</source>
        <translation>请先在预警墙上选择预警</translation>
    </message>
    <message>
        <source>Leader&apos;s annotation</source>
        <translation>领导批阅</translation>
    </message>
    <message>
        <source>Your annotation (批阅) on %1 alert(s):</source>
        <translation>对 %1 条预警的批阅意见：</translation>
    </message>
    <message>
        <source>%1 working days overdue</source>
        <translation>已逾期 %1 个工作日</translation>
    </message>
    <message>
        <source>%1 working days left</source>
        <translation>剩余 %1 个工作日</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>签发时间</translation>
    </message>
    <message>
        <source>Unit</source>
        <extracomment>the longest text a form takes (the shared actions&apos; limits are checked on sending)</extracomment>
        <translation>单位</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>(%1 selected alert(s) of other units left out)</source>
        <translation>（另有 %1 条所选预警属其他单位，未纳入）</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reply due</source>
        <translation>回复期限</translation>
    </message>
    <message>
        <source>Countdown</source>
        <translation>倒计时</translation>
    </message>
    <message>
        <source>Replied</source>
        <translation>回复时间</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>牌</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Could not read the list: %1</source>
        <extracomment>a message for the status bar an alert named in the selected record was clicked: show it on the wall a record to select once the list has been read (asked for before it arrived)</extracomment>
        <translation>无法读取列表：%1</translation>
    </message>
    <message>
        <source>Select a row first</source>
        <translation>请先选择一行</translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation>未执行：%1</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>签发人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>#%1 (%2)</source>
        <translation>第%1名（%2）</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Efficiency</source>
        <translation>行政效能</translation>
    </message>
    <message>
        <source>Unit or person</source>
        <translation>单位或人员</translation>
    </message>
    <message>
        <source>Anomalies</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>Routine supervision</source>
        <translation>日常监督</translation>
    </message>
    <message>
        <source>Public evaluation</source>
        <translation>公众评价</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>指数</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>扣分项</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>扣分事项</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>产生时间</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Show on the wall</source>
        <translation>在预警墙上显示</translation>
    </message>
    <message>
        <source>Cases supervised</source>
        <extracomment>(month, the statistics&apos; ``total``) for the months of the trend charts, oldest first the seeds&apos; headline figures: (key, label, value of a statistics ``total``, is a percentage, unit)</extracomment>
        <translation>监察件数</translation>
    </message>
    <message>
        <source>Early-completion rate</source>
        <translation>提前办结率</translation>
    </message>
    <message>
        <source>One-time completion rate</source>
        <translation>一次办结率</translation>
    </message>
    <message>
        <source>Average working days</source>
        <translation>平均办理工作日</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Petitions tracked</source>
        <translation>跟踪信访件</translation>
    </message>
    <message>
        <source>Satisfaction rate</source>
        <translation>满意率</translation>
    </message>
    <message>
        <source>Cases decided</source>
        <translation>办结件数</translation>
    </message>
    <message>
        <source>Decided early</source>
        <translation>提前办结件数</translation>
    </message>
    <message>
        <source>Mean fraction of the time limit used</source>
        <translation>平均用时占时限比例</translation>
    </message>
    <message>
        <source>Red approval alerts</source>
        <translation>审批红色预警</translation>
    </message>
    <message>
        <source>Yellow approval alerts</source>
        <translation>审批黄色预警</translation>
    </message>
    <message>
        <source>Red cards</source>
        <translation>红牌</translation>
    </message>
    <message>
        <source>Yellow cards</source>
        <translation>黄牌</translation>
    </message>
    <message>
        <source>Notices answered late</source>
        <translation>逾期回复的督办通知</translation>
    </message>
    <message>
        <source>Office-silent alerts</source>
        <translation>单位失联预警</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>评价数</translation>
    </message>
    <message>
        <source>Satisfied or basically satisfied</source>
        <translation>满意与基本满意</translation>
    </message>
    <message>
        <source>Rank last month</source>
        <translation>上月名次</translation>
    </message>
    <message>
        <source>Total last month</source>
        <translation>上月总分</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>概况</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Month before</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Ranking</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Risk index</source>
        <translation>勤廉风险指数</translation>
    </message>
    <message>
        <source>Risk points</source>
        <translation>扣分明细</translation>
    </message>
    <message>
        <source>Record id</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Monthly efficiency evaluation</source>
        <translation>月度效能评估</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>评估项</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Counts behind it</source>
        <translation>依据的计数</translation>
    </message>
    <message>
        <source>does not apply</source>
        <translation>不适用</translation>
    </message>
</context>
<context>
    <name>PetitionView</name>
    <message>
        <source>Accept</source>
        <extracomment>a line for the status bar the server refused the token while the view asked it something the petition the suggestions shown are for (None until the server answered for this one) the petitioner as the server last answered (on screen only, never stored)</extracomment>
        <translation>受理</translation>
    </message>
    <message>
        <source>Not accept…</source>
        <translation>不予受理…</translation>
    </message>
    <message>
        <source>Assign to a unit…</source>
        <translation>交办…</translation>
    </message>
    <message>
        <source>Extend…</source>
        <translation>延期…</translation>
    </message>
    <message>
        <source>Reply…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>办结…</translation>
    </message>
    <message>
        <source>Convert to an investigation…</source>
        <translation>转立案…</translation>
    </message>
    <message>
        <source>Show identity (audited)…</source>
        <translation>查看信访人身份（留痕）…</translation>
    </message>
    <message>
        <source>Merge this petition into the suggested one</source>
        <translation>将本件并入所选信访件</translation>
    </message>
    <message>
        <source>Merge suggestions (一信多投)</source>
        <translation>合并建议（一信多投）</translation>
    </message>
    <message>
        <source>Choose a petition in the list.</source>
        <translation>请在列表中选择信访件。</translation>
    </message>
    <message>
        <source>anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <source>identity protected</source>
        <translation>身份受保护</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>no receipt code</source>
        <translation>无查询码</translation>
    </message>
    <message>
        <source>About</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>Receipt code</source>
        <translation>查询码</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>received</source>
        <translation>收到于</translation>
    </message>
    <message>
        <source>Merged into %1: its handling answers this one</source>
        <translation>已并入 %1，由该件的办理一并答复</translation>
    </message>
    <message>
        <source>Answers also %1 merged into it: %2</source>
        <translation>一并答复并入本件的 %1 件：%2</translation>
    </message>
    <message>
        <source>Converted to %1 investigation(s)</source>
        <translation>已转立案 %1 件</translation>
    </message>
    <message>
        <source>Acceptance due %1</source>
        <translation>受理期限 %1</translation>
    </message>
    <message>
        <source>handling due %1</source>
        <translation>办理期限 %1</translation>
    </message>
    <message>
        <source>extended %1 of %2 days</source>
        <translation>已延期 %1 日（最多 %2 日）</translation>
    </message>
    <message>
        <source>%1: done (sent to the server when it answers)</source>
        <translation>%1：已办理（联网时发送到服务器）</translation>
    </message>
    <message>
        <source>converted to an investigation</source>
        <translation>已转立案</translation>
    </message>
    <message>
        <source>Not accept</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Why it is not accepted (the petitioner reads it):</source>
        <translation>不予受理的理由（信访人可见）：</translation>
    </message>
    <message>
        <source>Assign to a unit</source>
        <translation>交办</translation>
    </message>
    <message>
        <source>The unit that handles it:</source>
        <translation>承办单位：</translation>
    </message>
    <message>
        <source>Extend the handling limit</source>
        <translation>延长办理期限</translation>
    </message>
    <message>
        <source>Days (at most %1 in all):</source>
        <translation>延期天数（累计不超过 %1 日）：</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>The reply the petitioner reads:</source>
        <translation>答复意见（信访人可见）：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>How it was concluded:</source>
        <translation>办结情况：</translation>
    </message>
    <message>
        <source>Did the complaint prove founded?</source>
        <translation>反映问题是否属实？</translation>
    </message>
    <message>
        <source>Convert to an investigation</source>
        <translation>转立案</translation>
    </message>
    <message>
        <source>The investigation&apos;s title:</source>
        <translation>案件名称：</translation>
    </message>
    <message>
        <source>Petition about %1</source>
        <translation>关于%1的信访</translation>
    </message>
    <message>
        <source>Asking the server for similar petitions…</source>
        <translation>正在向服务器查询相似信访件…</translation>
    </message>
    <message>
        <source>Merge suggestions once the server has the petition.</source>
        <translation>信访件送达服务器后显示合并建议。</translation>
    </message>
    <message>
        <source>Merge suggestions need the server, which cannot be reached.</source>
        <translation>合并建议需要连接服务器，目前无法连接。</translation>
    </message>
    <message>
        <source>No merge suggestions: %1</source>
        <translation>无法获取合并建议：%1</translation>
    </message>
    <message>
        <source>No other petition looks like this one.</source>
        <translation>没有与本件相似的信访件。</translation>
    </message>
    <message>
        <source>Choose one to read both side by side; what differs is marked.</source>
        <translation>选择一件与本件对照阅读，不同之处已标出。</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Show identity</source>
        <translation>查看信访人身份</translation>
    </message>
    <message>
        <source>Who petitioned is protected. Showing it is written to the audit log under your name, with the time. Show it?</source>
        <translation>信访人身份受保护。查看将以您的名义连同时间记入审计日志。确定查看吗？</translation>
    </message>
    <message>
        <source>The petition is anonymous.</source>
        <translation>该信访件为匿名信访。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Read at %1; this read is in the audit log.</source>
        <translation>%1 查看，本次查看已记入审计日志。</translation>
    </message>
    <message>
        <source>Petitioner</source>
        <translation>信访人</translation>
    </message>
    <message>
        <source>The identity needs the server, which cannot be reached.</source>
        <translation>查看身份需要连接服务器，目前无法连接。</translation>
    </message>
    <message>
        <source>The identity could not be read: %1</source>
        <translation>无法读取信访人身份：%1</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>overdue by %1</source>
        <translation>已超期 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>还剩 %1</translation>
    </message>
</context>
<context>
    <name>ReceiptSlip</name>
    <message>
        <source>Petition receipt</source>
        <translation>信访登记回执</translation>
    </message>
    <message>
        <source>Receipt code</source>
        <translation>查询码</translation>
    </message>
    <message>
        <source>Check the progress and the reply with this code and the password you chose at the counter:</source>
        <translation>凭查询码和您在登记时自设的查询密码查询办理进度和答复：</translation>
    </message>
    <message>
        <source>Keep this slip. Nobody will ask you for your password; the desk cannot see it.</source>
        <translation>请妥善保管本回执。任何人都不会向您索要查询密码，工作人员也看不到它。</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>信访方式</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
</context>
<context>
    <name>RegistrationDialog</name>
    <message>
        <source>Register a petition</source>
        <extracomment>(the petition&apos;s id, the data queued, without the petitioner or the password)</extracomment>
        <translation>登记信访件</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>信访方式</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Petitioner (seen by the petition desk only)</source>
        <translation>信访人（仅信访部门可见）</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Whom it is about</source>
        <translation>被反映人</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>What the petitioner reports, in their words</source>
        <translation>信访人反映的问题（按其原话记录）</translation>
    </message>
    <message>
        <source>Typed by the petitioner; never shown or kept</source>
        <translation>由信访人本人输入；不显示、不保存</translation>
    </message>
    <message>
        <source>Register and print the receipt</source>
        <translation>登记并打印回执</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>反映内容</translation>
    </message>
    <message>
        <source>Query password</source>
        <translation>查询密码</translation>
    </message>
    <message>
        <source>The server has no office of the kind “centre” to register petitions under: an administrator must add the centre&apos;s office first.</source>
        <translation>服务器上没有类型为“中心”的单位，无法登记信访件：请管理员先添加本中心的单位。</translation>
    </message>
</context>
<context>
    <name>ReviewersDialog</name>
    <message>
        <source>Request a joint review</source>
        <translation>提请会审</translation>
    </message>
    <message>
        <source>Find a person</source>
        <extracomment>the names a typed one must be among (the server&apos;s list), or None: any name the server could not be asked for its list</extracomment>
        <translation>查找人员</translation>
    </message>
    <message>
        <source>user names, separated by commas</source>
        <translation>用户名，用逗号分隔</translation>
    </message>
    <message>
        <source>Others</source>
        <translation>其他人</translation>
    </message>
    <message>
        <source>%1 (already asked)</source>
        <translation>%1（已请会审）</translation>
    </message>
    <message>
        <source>Investigators, leaders and administrators on the server.</source>
        <translation>服务器上的调查人员、领导和管理员。</translation>
    </message>
    <message>
        <source>The server could not be asked: the people the cases on this computer name. Any other name is checked by the server when the request is sent.</source>
        <translation>无法连接服务器：以下是本机案件中出现的人员。其他用户名将在请求发送时由服务器核对。</translation>
    </message>
    <message>
        <source>Loading the list of users…</source>
        <translation>正在读取用户列表…</translation>
    </message>
    <message>
        <source>No investigator, leader or administrator is called %1.</source>
        <translation>没有名为 %1 的调查人员、领导或管理员。</translation>
    </message>
    <message>
        <source>Name at least one reviewer.</source>
        <translation>请至少填写一名会审人。</translation>
    </message>
    <message>
        <source>At most 50 reviewers, each name at most 100 characters.</source>
        <translation>最多 50 名会审人，每个用户名最多 100 个字符。</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <source>The server cannot be reached. Check the network connection and try again.</source>
        <translation>无法连接服务器。请检查网络连接后重试。</translation>
    </message>
    <message>
        <source>Your sign-in has expired.</source>
        <translation>您的登录已过期。</translation>
    </message>
    <message>
        <source>The user name or password is wrong.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>The server no longer accepts your sign-in: it was revoked, or the account was disabled.</source>
        <translation>服务器不再接受您的登录：登录已被撤销，或账户已被停用。</translation>
    </message>
    <message>
        <source>Too many failed attempts. Try again in %1 s.</source>
        <translation>失败次数过多，请 %1 秒后再试。</translation>
    </message>
    <message>
        <source>Too many failed attempts. Try again later.</source>
        <translation>失败次数过多，请稍后再试。</translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not accepted (check the CA file in the configuration).</source>
        <translation>服务器证书未被接受（请检查配置中的 CA 文件）。</translation>
    </message>
    <message>
        <source>The server has a problem (%1); trying again.</source>
        <translation>服务器出现故障（%1），正在重试。</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>服务器拒绝了请求：%1</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to Yingyan</source>
        <translation>登录鹰眼</translation>
    </message>
    <message>
        <source>From the configuration (command line, environment, console.toml or the installer)</source>
        <translation>来自配置（命令行、环境变量、console.toml 或安装程序）</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Enter your user name and password</source>
        <translation>请输入用户名和密码</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <extracomment>the login answer (token, role, username, …) once signed in</extracomment>
        <translation>重新登录</translation>
    </message>
</context>
<context>
    <name>StatisticsPane</name>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>办件数</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>办结数</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>按时办结率</translation>
    </message>
    <message>
        <source>Avg working days</source>
        <translation>平均用时（工作日）</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <source>Alerts / 100 cases</source>
        <translation>每百件预警数</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意率</translation>
    </message>
    <message>
        <source>Cases supervised</source>
        <translation>监察办件数</translation>
    </message>
    <message>
        <source>Cases decided</source>
        <translation>办结件数</translation>
    </message>
    <message>
        <source>On-time (early-completion) rate</source>
        <translation>提前（按时）办结率</translation>
    </message>
    <message>
        <source>Average working days used</source>
        <translation>平均办理用时（工作日）</translation>
    </message>
    <message>
        <source>Red signals</source>
        <translation>红色警示</translation>
    </message>
    <message>
        <source>Yellow signals</source>
        <translation>黄色预警</translation>
    </message>
    <message>
        <source>Satisfaction rate</source>
        <translation>群众满意率</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>统计期间</translation>
    </message>
    <message>
        <source>Offices</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Alerts per day</source>
        <translation>每日预警数</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>Yingyan supervision statistics</source>
        <translation>鹰眼电子监察统计分析</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <extracomment>a computation is running (the figures shown, if any, are the previous ones)</extracomment>
        <translation>最近 %1 天</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Computing the statistics…</source>
        <translation>正在计算统计数据…</translation>
    </message>
    <message>
        <source>Offices ranked</source>
        <translation>单位排名</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>On-time</source>
        <translation>按时办结</translation>
    </message>
    <message>
        <source>Avg days</source>
        <translation>平均用时</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <source>Ranked by on-time rate (higher first), then by alerts per 100 cases (fewer first).</source>
        <extracomment>The departments&apos; table: the same columns; the name cell&apos;s tooltip gives the department code. How each column is computed (the header&apos;s tooltip), by header.</extracomment>
        <translation>按按时办结率排名（高者在前），相同时按每百件预警数排名（少者在前）。</translation>
    </message>
    <message>
        <source>%1 working days</source>
        <translation>%1 个工作日</translation>
    </message>
    <message>
        <source>Approval cases synced to this computer.</source>
        <translation>已同步到本机的审批办件。</translation>
    </message>
    <message>
        <source>Closed cases: decided (approved or refused), not accepted or withdrawn.</source>
        <translation>已办结的办件：已作出决定（准予或不予许可）、不予受理或已撤回。</translation>
    </message>
    <message>
        <source>Decided cases closed before their due time, over decided cases: a case is late when its close time (closed_at in the change feed) is at or after its due time. A case without both times (from an older server) is late when it has an OVERDUE alert.</source>
        <translation>在到期时间前办结的办件占已办结办件的比例：办结时间（变更推送中的 closed_at）等于或晚于到期时间即为超期。没有这两个时间的办件（来自旧版服务器）有“超时办理”（OVERDUE）预警时计为超期。</translation>
    </message>
    <message>
        <source>Working hours used up to the close (used_hours in the change feed) averaged over every decided case that has them, in working days of 24 working hours. For cases from an older server, the case details opened on this computer.</source>
        <translation>办结时已用的工作时长（变更推送中的 used_hours），按所有有此数据的已办结办件平均，以工作日计（每个工作日 24 个工作小时）。来自旧版服务器的办件取本机打开过的办件详情。</translation>
    </message>
    <message>
        <source>Alerts whose subject is one of these cases.</source>
        <translation>对象为这些办件的预警。</translation>
    </message>
    <message>
        <source>Red signals among those alerts.</source>
        <translation>其中的红色警示。</translation>
    </message>
    <message>
        <source>Alerts on these cases per 100 cases.</source>
        <translation>这些办件每百件的预警数。</translation>
    </message>
    <message>
        <source>Ratings “satisfied” or “basically satisfied” over every citizen rating of these cases (ratings in the change feed). For cases from an older server, the case details opened on this computer.</source>
        <translation>“满意”和“基本满意”的评价占这些办件全部群众评价的比例（变更推送中的 ratings）。来自旧版服务器的办件取本机打开过的办件详情。</translation>
    </message>
    <message>
        <source>The department&apos;s name from the catalogue; its code when the catalogue gives no name.</source>
        <translation>权力事项目录中的部门名称；目录未给出名称时显示部门代码。</translation>
    </message>
    <message>
        <source>Cases: approval cases synced to this computer, %1 of them decided.</source>
        <translation>办件数：已同步到本机的审批办件，其中已办结 %1 件。</translation>
    </message>
    <message>
        <source>On-time: decided cases closed before their due time (the close time in the change feed against the due time; a case without them counts as late when it has an OVERDUE alert).</source>
        <translation>按时办结：在到期时间前办结的已办结办件（以变更推送中的办结时间对比到期时间；没有这两个时间的办件有“超时办理”预警时计为超期）。</translation>
    </message>
    <message>
        <source>Avg days: working hours used up to the close, in working days of 24 hours, averaged over %1 decided cases.</source>
        <translation>平均用时：办结时已用的工作时长，以工作日（24 小时）计，按 %1 件已办结办件平均。</translation>
    </message>
    <message>
        <source>Satisfaction: “satisfied” and “basically satisfied” over %1 citizen ratings.</source>
        <translation>满意率：“满意”和“基本满意”占 %1 次群众评价的比例。</translation>
    </message>
    <message>
        <source>Cases from an older server, whose change-feed rows carry no working time or ratings, count through their case details opened on this computer.</source>
        <translation>来自旧版服务器的办件，其变更推送中没有工作时长和评价，按本机打开过的办件详情统计。</translation>
    </message>
</context>
<context>
    <name>SummaryView</name>
    <message>
        <source>Yingyan electronic supervision</source>
        <extracomment>how often the month band is fetched again while the screen is up Suffixes dropped from office names on tiles: on a wall &quot;城关镇&quot; reads better than the full name. places gained since last month (negative: lost); None when it was not ranked then (item, how many points&apos; records) most first: what brought the index down</extracomment>
        <translation>鹰眼电子监察</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>As of %1</source>
        <translation>截至 %1</translation>
    </message>
    <message>
        <source>Alerts today</source>
        <translation>今日预警</translation>
    </message>
    <message>
        <source>Red today</source>
        <translation>今日红色</translation>
    </message>
    <message>
        <source>Yellow today</source>
        <translation>今日黄色</translation>
    </message>
    <message>
        <source>Active red</source>
        <translation>未处结红色</translation>
    </message>
    <message>
        <source>Active yellow</source>
        <translation>未处结黄色</translation>
    </message>
    <message>
        <source>Cases received today</source>
        <translation>今日收件</translation>
    </message>
    <message>
        <source>Latest red signals</source>
        <translation>最新红色警示</translation>
    </message>
    <message>
        <source>Evaluation ranking, %1</source>
        <translation>%1 绩效评估排名</translation>
    </message>
    <message>
        <source>Units at red risk level</source>
        <translation>红色风险等级单位</translation>
    </message>
    <message>
        <source>None this month</source>
        <translation>本月没有</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>另有 %1 个</translation>
    </message>
    <message>
        <source>%1 ×%2</source>
        <translation>%1×%2</translation>
    </message>
    <message>
        <source>%1  index %2</source>
        <translation>%1  指数 %2</translation>
    </message>
</context>
<context>
    <name>TextDialog</name>
    <message>
        <source>Write something first.</source>
        <extracomment>a note, an opinion or a reason: the shared action table&apos;s limit (CommentText)</extracomment>
        <translation>请先填写内容。</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>最多 %n 个字。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <source>Open a case to see its timeline</source>
        <extracomment>where the last paint put each event&apos;s label and each legend entry (tests measure them)</extracomment>
        <translation>打开办件查看时间轴</translation>
    </message>
    <message>
        <source>Hol</source>
        <translation>休</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>班</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>休</translation>
    </message>
    <message>
        <source>Case clock (%1 d)</source>
        <translation>办件时限（%1 日）</translation>
    </message>
    <message>
        <source> (%1 d)</source>
        <translation>（%1 日）</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>as of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Actor: %1</source>
        <translation>经办人：%1</translation>
    </message>
    <message>
        <source>Hol = public holiday</source>
        <translation>休 = 法定节假日</translation>
    </message>
    <message>
        <source>Work = adjusted working day</source>
        <translation>班 = 调休上班</translation>
    </message>
    <message>
        <source>Off = weekend</source>
        <translation>休 = 周末</translation>
    </message>
    <message>
        <source>suspended (clock stopped)</source>
        <translation>暂停计时</translation>
    </message>
    <message>
        <source>working time used</source>
        <translation>已用工作时间</translation>
    </message>
    <message>
        <source>after the warning</source>
        <translation>预警后</translation>
    </message>
    <message>
        <source>past the limit</source>
        <translation>超过时限</translation>
    </message>
</context>
<context>
    <name>TransitionDialog</name>
    <message>
        <source>Move the case</source>
        <translation>推进案件</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Move to</source>
        <translation>转入</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>A case is concluded only with a reason.</source>
        <translation>予以了结须说明理由。</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>最多 %n 个字。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing moves this case any more.</source>
        <translation>本案已不能再变更阶段。</translation>
    </message>
</context>
</TS>
