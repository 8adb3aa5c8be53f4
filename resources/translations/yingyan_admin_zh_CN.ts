<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminAudit</name>
    <message>
        <source>setting changed</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>user added</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>user changed</source>
        <translation>修改用户</translation>
    </message>
    <message>
        <source>password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>office added</source>
        <translation>新增办事处</translation>
    </message>
    <message>
        <source>office token issued</source>
        <translation>签发办事处令牌</translation>
    </message>
    <message>
        <source>catalogue imported</source>
        <translation>导入权力事项目录</translation>
    </message>
    <message>
        <source>holidays loaded</source>
        <translation>载入节假日安排</translation>
    </message>
    <message>
        <source>camera saved</source>
        <translation>保存摄像机</translation>
    </message>
    <message>
        <source>camera removed</source>
        <translation>删除摄像机</translation>
    </message>
    <message>
        <source>simulated clock moved</source>
        <translation>调整模拟时钟</translation>
    </message>
    <message>
        <source>alert re-evaluated (calendar change)</source>
        <translation>预警重新评估（节假日变更）</translation>
    </message>
    <message>
        <source>due date moved (calendar change)</source>
        <translation>到期时间变动（节假日变更）</translation>
    </message>
    <message>
        <source>everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>offices</source>
        <translation>办事处</translation>
    </message>
    <message>
        <source>catalogue</source>
        <translation>权力事项目录</translation>
    </message>
    <message>
        <source>calendar</source>
        <translation>节假日</translation>
    </message>
    <message>
        <source>cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Before → after</source>
        <translation>变更前 → 变更后</translation>
    </message>
</context>
<context>
    <name>AdminCameras</name>
    <message>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>办事处</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>主码流</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>AdminCommon</name>
    <message>
        <source>administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>值班员</translation>
    </message>
    <message>
        <source>investigator</source>
        <translation>调查员</translation>
    </message>
    <message>
        <source>petition officer</source>
        <translation>信访专员</translation>
    </message>
    <message>
        <source>leader</source>
        <translation>领导</translation>
    </message>
    <message>
        <source>A user with this name already exists.</source>
        <translation>已有同名用户。</translation>
    </message>
    <message>
        <source>An office with this code already exists.</source>
        <translation>已有相同编码的办事处。</translation>
    </message>
    <message>
        <source>This is the last enabled administrator: make another one first.</source>
        <translation>这是最后一个启用的管理员：请先设立另一名管理员。</translation>
    </message>
    <message>
        <source>It no longer exists on the server (someone removed it): reload.</source>
        <translation>服务器上已不存在（可能已被删除）：请刷新。</translation>
    </message>
    <message>
        <source>Only an administrator may do this.</source>
        <translation>只有管理员可以执行此操作。</translation>
    </message>
    <message>
        <source>The server did not accept the values: %1</source>
        <translation>服务器不接受所填的值：%1</translation>
    </message>
</context>
<context>
    <name>AdminHooks</name>
    <message>
        <source>&amp;Administration</source>
        <translation>系统管理(&amp;A)</translation>
    </message>
    <message>
        <source>Users, offices, catalogue, holidays, cameras, settings, audit</source>
        <translation>用户、办事处、目录、节假日、摄像机、设置、审计</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
</context>
<context>
    <name>AdminImport</name>
    <message>
        <source>%1 is not a number</source>
        <extracomment>A problem&apos;s reason (``shared.catalogue_io.Reason.key``) in words the console translates.</extracomment>
        <translation>“%1”不是数字</translation>
    </message>
    <message>
        <source>holds a date (%1), not a number</source>
        <translation>填的是日期（%1），不是天数</translation>
    </message>
    <message>
        <source>%1 is not a whole number</source>
        <translation>%1 不是整数</translation>
    </message>
    <message>
        <source>“%1” is not a pair of steps (write review/approve; accept/decide)</source>
        <translation>“%1”不是一对环节（写作 review/approve; accept/decide）</translation>
    </message>
    <message>
        <source>%1: import .xlsx, .xls, .ods, .csv or .json files</source>
        <translation>%1：请导入 .xlsx、.xls、.ods、.csv 或 .json 文件</translation>
    </message>
    <message>
        <source>%1 is not a readable workbook (damaged, or not a spreadsheet)</source>
        <translation>%1 无法读取（文件损坏或不是电子表格）</translation>
    </message>
    <message>
        <source>more than %1 rows</source>
        <translation>超过 %1 行</translation>
    </message>
    <message>
        <source>the CSV file is not text (UTF-8 or GB18030)</source>
        <translation>CSV 文件不是文本（应为 UTF-8 或 GB18030）</translation>
    </message>
    <message>
        <source>the CSV file is not text (it contains NUL characters)</source>
        <translation>CSV 文件不是文本（含有 NUL 字符）</translation>
    </message>
    <message>
        <source>the CSV is malformed: %1</source>
        <translation>CSV 格式有误：%1</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MiB</source>
        <translation>%1 超过 %2 MiB</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1为空</translation>
    </message>
    <message>
        <source>not valid JSON: %1</source>
        <translation>不是有效的 JSON：%1</translation>
    </message>
    <message>
        <source>JSON must be {&quot;items&quot;: [power items]} or a list of them</source>
        <translation>JSON 须为 {"items": [权力事项]} 或权力事项列表</translation>
    </message>
    <message>
        <source>code %1 is already used at row %2</source>
        <translation>编码 %1 已在第 %2 行使用</translation>
    </message>
    <message>
        <source>unknown column; the columns are %1</source>
        <translation>无法识别的列；可用的列为：%1</translation>
    </message>
    <message>
        <source>the sheet is empty: no header row</source>
        <translation>表格为空：没有表头行</translation>
    </message>
    <message>
        <source>the column %1 appears twice (also %2)</source>
        <translation>“%1”列出现两次（另见 %2 列）</translation>
    </message>
    <message>
        <source>the sheet has no %1 column</source>
        <translation>表格缺少“%1”列</translation>
    </message>
    <message>
        <source>the cell holds a spreadsheet error (%1)</source>
        <translation>单元格内是表格错误值（%1）</translation>
    </message>
    <message>
        <source>no item code, and no item above to continue</source>
        <translation>没有事项编码，上方也没有可接续的事项</translation>
    </message>
    <message>
        <source>the sheet has a header but no items</source>
        <translation>表格只有表头，没有事项</translation>
    </message>
    <message>
        <source>a risk point needs its level (1–3)</source>
        <translation>廉政风险点须有风险等级（1–3）</translation>
    </message>
    <message>
        <source>a risk level needs the risk point it describes</source>
        <translation>风险等级须有对应的廉政风险点</translation>
    </message>
    <message>
        <source>a node needs its code</source>
        <translation>环节须有编码</translation>
    </message>
    <message>
        <source>a node needs its name</source>
        <translation>环节须有名称</translation>
    </message>
    <message>
        <source>“%1” is reserved for acceptance and decision; give the node another code</source>
        <translation>“%1”专用于受理和决定环节，请为该环节另取编码</translation>
    </message>
    <message>
        <source>node code %1 is already used on row %2</source>
        <translation>环节编码 %1 已在第 %2 行使用</translation>
    </message>
    <message>
        <source>names the step %1 twice</source>
        <translation>重复填写了环节 %1</translation>
    </message>
    <message>
        <source>item %1 already had rows %2–%3: keep an item&apos;s rows together (or is this another item with a copied code?)</source>
        <translation>事项 %1 已在第 %2–%3 行出现：同一事项的各行须相邻（或者这是复制了编码的另一个事项？）</translation>
    </message>
    <message>
        <source>“%1” differs from “%2” on row %3 of the same item</source>
        <translation>“%1”与同一事项第 %3 行的“%2”不一致</translation>
    </message>
    <message>
        <source>the committed limit (%1) exceeds the legal limit (%2)</source>
        <translation>承诺时限（%1）超过法定时限（%2）</translation>
    </message>
    <message>
        <source>“%1” is not a node of this item (nor accept/decide)</source>
        <translation>“%1”不是本事项的环节（也不是 accept/decide）</translation>
    </message>
    <message>
        <source>must be at most %1</source>
        <translation>不能大于 %1</translation>
    </message>
    <message>
        <source>must be at least %1</source>
        <translation>不能小于 %1</translation>
    </message>
    <message>
        <source>a code has only letters, digits, “.”, “_” and “-”</source>
        <translation>编码只能包含字母、数字及“.”“_”“-”</translation>
    </message>
    <message>
        <source>must be one of the kinds: licensing, penalty, levy, confirmation, inspection, other</source>
        <translation>须为以下类别之一：行政许可、行政处罚、行政征收、行政确认、行政检查、其他</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>超过 %1 个字符</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <source>more than %1 entries</source>
        <translation>超过 %1 项</translation>
    </message>
    <message>
        <source>is missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>is not a field of a power item</source>
        <translation>不是权力事项的字段</translation>
    </message>
    <message>
        <source>must be text</source>
        <translation>须为文本</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>AdminModels</name>
    <message>
        <source>licensing</source>
        <translation>行政许可</translation>
    </message>
    <message>
        <source>penalty</source>
        <translation>行政处罚</translation>
    </message>
    <message>
        <source>levy</source>
        <translation>行政征收</translation>
    </message>
    <message>
        <source>confirmation</source>
        <translation>行政确认</translation>
    </message>
    <message>
        <source>inspection</source>
        <translation>行政检查</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>township centre</source>
        <translation>乡镇便民服务中心</translation>
    </message>
    <message>
        <source>department</source>
        <translation>部门窗口</translation>
    </message>
    <message>
        <source>county or city centre</source>
        <translation>县（市）中心</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Power item</source>
        <translation>权力事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Legal days</source>
        <translation>法定时限</translation>
    </message>
    <message>
        <source>Committed days</source>
        <translation>承诺时限</translation>
    </message>
    <message>
        <source>Fee (yuan)</source>
        <translation>收费上限（元）</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>环节数</translation>
    </message>
    <message>
        <source>Risk points</source>
        <translation>风险点</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>办事处</translation>
    </message>
    <message>
        <source>Data complete until</source>
        <translation>数据完整至</translation>
    </message>
    <message>
        <source>Last batch</source>
        <translation>最近报送</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认值</translation>
    </message>
</context>
<context>
    <name>AdminSettings</name>
    <message>
        <source>Risk index</source>
        <translation>勤廉风险指数</translation>
    </message>
    <message>
        <source>Red alert raised (points)</source>
        <translation>红色预警（分）</translation>
    </message>
    <message>
        <source>Yellow alert raised (points)</source>
        <translation>黄色预警（分）</translation>
    </message>
    <message>
        <source>Red card (points)</source>
        <translation>红牌（分）</translation>
    </message>
    <message>
        <source>Yellow card (points)</source>
        <translation>黄牌（分）</translation>
    </message>
    <message>
        <source>Supervision notice answered late (points)</source>
        <translation>督办通知逾期回复（分）</translation>
    </message>
    <message>
        <source>Dissatisfied rating (points)</source>
        <translation>不满意评价（分）</translation>
    </message>
    <message>
        <source>Very poor rating (points)</source>
        <translation>很差评价（分）</translation>
    </message>
    <message>
        <source>Petition substantiated (points)</source>
        <translation>信访属实（分）</translation>
    </message>
    <message>
        <source>Green from (index)</source>
        <translation>绿色下限（指数）</translation>
    </message>
    <message>
        <source>Yellow from (index)</source>
        <translation>黄色下限（指数）</translation>
    </message>
    <message>
        <source>Office silent</source>
        <translation>办事处未报送</translation>
    </message>
    <message>
        <source>Hours without data</source>
        <translation>未报送小时数</translation>
    </message>
    <message>
        <source>Next year&apos;s holidays</source>
        <translation>下一年节假日</translation>
    </message>
    <message>
        <source>Warn from month</source>
        <translation>提醒起始月</translation>
    </message>
    <message>
        <source>Warn from day</source>
        <translation>提醒起始日</translation>
    </message>
</context>
<context>
    <name>AdminUsers</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name shown</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Offices</source>
        <translation>所属办事处</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>AdministrationPane</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Offices</source>
        <translation>办事处</translation>
    </message>
    <message>
        <source>Power catalogue</source>
        <translation>权力事项目录</translation>
    </message>
    <message>
        <source>Holidays</source>
        <translation>节假日</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
</context>
<context>
    <name>ArrangementDialog</name>
    <message>
        <source>Load %1</source>
        <translation>载入 %1</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>载入</translation>
    </message>
    <message>
        <source>%1 problems; nothing will change until the file is fixed:</source>
        <translation>发现 %1 个问题；文件改正之前不会做任何更改：</translation>
    </message>
    <message>
        <source>%1: %2 holidays and %3 adjusted working days (%4 working days in the year). Check each holiday and its 调休 below, then load it: every open case is evaluated again.</source>
        <translation>%1 年：%2 天放假，%3 个调休上班日（全年 %4 个工作日）。请逐一核对下面的假期及调休，然后载入：所有未办结的办件将重新评估。</translation>
    </message>
    <message>
        <source>%1 – %2 (%3 days) %4; adjusted working days: %5</source>
        <translation>%1 至 %2（%3 天）%4；调休上班：%5</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>who (user name)</source>
        <translation>操作人（用户名）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Older entries</source>
        <translation>更早的记录</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>%1 entries shown</source>
        <translation>显示 %1 条记录</translation>
    </message>
    <message>
        <source>✓ hash chain intact: %1 entries verified</source>
        <translation>✓ 哈希链完整：已核验 %1 条记录</translation>
    </message>
    <message>
        <source>✗ hash chain BROKEN at entry %1: %2</source>
        <translation>✗ 哈希链在第 %1 条记录处断裂：%2</translation>
    </message>
</context>
<context>
    <name>CalendarNotice</name>
    <message>
        <source>⚠ The holidays of %1 are not loaded: due dates that reach into %1 are provisional (an administrator loads the State Council&apos;s arrangement)</source>
        <translation>⚠ %1 年节假日安排尚未载入：跨入 %1 年的到期时间为暂定（请管理员载入国务院办公厅的放假安排）</translation>
    </message>
</context>
<context>
    <name>CalendarTab</name>
    <message>
        <source>Red 休: holiday · grey: weekend · blue 班: adjusted working day (调休)</source>
        <translation>红色“休”：节假日 · 灰色：周末 · 蓝色“班”：调休上班日</translation>
    </message>
    <message>
        <source>Load a year&apos;s arrangement…</source>
        <translation>载入年度放假安排…</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>loaded by an administrator</source>
        <translation>由管理员载入</translation>
    </message>
    <message>
        <source>built in (from the State Council&apos;s announcements)</source>
        <translation>内置（依据国务院办公厅通知）</translation>
    </message>
    <message>
        <source>NOT LOADED: counted Monday to Friday only</source>
        <translation>未载入：仅按周一至周五计算</translation>
    </message>
    <message>
        <source>%1: %2 · %3 working days</source>
        <translation>%1 年：%2 · %3 个工作日</translation>
    </message>
    <message>
        <source>⚠ holidays not loaded for %1: due dates that reach into it are provisional</source>
        <translation>⚠ %1 年节假日未载入：跨入该年的到期时间为暂定</translation>
    </message>
    <message>
        <source>Load a year&apos;s arrangement</source>
        <translation>载入年度放假安排</translation>
    </message>
    <message>
        <source>Text, CSV or JSON (*.txt *.csv *.json);;All files (*)</source>
        <translation>文本、CSV 或 JSON (*.txt *.csv *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Loaded %1: %2 cases evaluated again, %3 alerts changed, %4 due dates moved (each change is in the audit log)</source>
        <translation>已载入 %1 年：重新评估 %2 个办件，%3 条预警变化，%4 个到期时间变动（每项变更均记入审计日志）</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>Change the camera</source>
        <translation>修改摄像机</translation>
    </message>
    <message>
        <source>Add a camera</source>
        <translation>新增摄像机</translation>
    </message>
    <message>
        <source>Shown on the wall</source>
        <translation>在视频墙上显示</translation>
    </message>
    <message>
        <source>Camera id</source>
        <translation>摄像机编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>办事处</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Main stream URL</source>
        <translation>主码流地址</translation>
    </message>
    <message>
        <source>Sub stream URL</source>
        <translation>子码流地址</translation>
    </message>
    <message>
        <source>Give the camera&apos;s id, name and main stream URL.</source>
        <translation>请填写摄像机的编号、名称和主码流地址。</translation>
    </message>
</context>
<context>
    <name>CamerasTab</name>
    <message>
        <source>Select a camera to preview it</source>
        <translation>选择摄像机即可预览</translation>
    </message>
    <message>
        <source>Add a camera…</source>
        <translation>新增摄像机…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>%1 cameras</source>
        <translation>%1 台摄像机</translation>
    </message>
    <message>
        <source>Preview not available: %1</source>
        <translation>无法预览：%1</translation>
    </message>
    <message>
        <source>Camera %1 saved</source>
        <translation>摄像机 %1 已保存</translation>
    </message>
    <message>
        <source>Remove camera</source>
        <translation>删除摄像机</translation>
    </message>
    <message>
        <source>Remove camera %1 (%2) from every wall?</source>
        <translation>从所有视频墙上删除摄像机 %1（%2）？</translation>
    </message>
    <message>
        <source>Camera %1 removed</source>
        <translation>摄像机 %1 已删除</translation>
    </message>
</context>
<context>
    <name>CatalogueTab</name>
    <message>
        <source>Filter: code, name, department, node or risk point</source>
        <extracomment>(done, total) while reading a file on a worker</extracomment>
        <translation>筛选：编码、名称、部门、环节或风险点</translation>
    </message>
    <message>
        <source>Import a file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新读取</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>%1 of %2 items · catalogue version %3</source>
        <translation>%1 / %2 项 · 目录版本 %3</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Legal limit</source>
        <translation>法定时限</translation>
    </message>
    <message>
        <source>%1 working days</source>
        <translation>%1 个工作日</translation>
    </message>
    <message>
        <source>Committed limit</source>
        <translation>承诺时限</translation>
    </message>
    <message>
        <source>Acceptance within</source>
        <translation>受理时限</translation>
    </message>
    <message>
        <source>Fee at most</source>
        <translation>收费上限</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>free</source>
        <translation>免费</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>设定依据</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>办理流程</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>时限（工作日）</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Risk point</source>
        <translation>廉政风险点</translation>
    </message>
    <message>
        <source>level %1</source>
        <translation>%1 级</translation>
    </message>
    <message>
        <source>Done by different people</source>
        <translation>须由不同人员办理</translation>
    </message>
    <message>
        <source>Import a catalogue</source>
        <translation>导入权力事项目录</translation>
    </message>
    <message>
        <source>Catalogue files (*.xlsx *.xls *.ods *.csv *.json)</source>
        <translation>目录文件 (*.xlsx *.xls *.ods *.csv *.json)</translation>
    </message>
    <message>
        <source>Reading and checking %1…</source>
        <translation>正在读取并检查 %1…</translation>
    </message>
    <message>
        <source>%1: %2 problems</source>
        <translation>%1：%2 个问题</translation>
    </message>
    <message>
        <source>%1: ready to import</source>
        <translation>%1：可以导入</translation>
    </message>
    <message>
        <source>Imported %1 items as catalogue version %2 in %3 s</source>
        <translation>已导入 %1 项，目录版本 %2，用时 %3 秒</translation>
    </message>
    <message>
        <source>Export the catalogue</source>
        <translation>导出权力事项目录</translation>
    </message>
    <message>
        <source>Workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)</source>
        <translation>工作簿 (*.xlsx);;CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Wrote %1 items to %2</source>
        <translation>已将 %1 项写入 %2</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>%1 problems in %2. Nothing will change until the file is fixed: each row below says where (row and column of the sheet) and why.</source>
        <translation>%2 中有 %1 个问题。文件改正之前不会做任何更改：下表每一行指出位置（表格的行和列）及原因。</translation>
    </message>
    <message>
        <source>%1 items checked: %2 new, %3 changed, %4 unchanged. Importing makes catalogue version %5; cases already accepted keep the version they were accepted under.</source>
        <translation>已检查 %1 项：新增 %2 项，变更 %3 项，未变 %4 项。导入后生成目录版本 %5；已受理的办件仍按受理时的版本评估。</translation>
    </message>
    <message>
        <source>The file holds no items.</source>
        <translation>文件中没有事项。</translation>
    </message>
</context>
<context>
    <name>OfficeDialog</name>
    <message>
        <source>Add an office</source>
        <translation>新增办事处</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Above it</source>
        <translation>上级</translation>
    </message>
    <message>
        <source>Give the office&apos;s code and name.</source>
        <translation>请填写办事处的编码和名称。</translation>
    </message>
</context>
<context>
    <name>OfficesTab</name>
    <message>
        <source>Add an office…</source>
        <translation>新增办事处…</translation>
    </message>
    <message>
        <source>Issue a new token…</source>
        <translation>签发新令牌…</translation>
    </message>
    <message>
        <source>%1 offices</source>
        <translation>%1 个办事处</translation>
    </message>
    <message>
        <source>Issue a new token</source>
        <translation>签发新令牌</translation>
    </message>
    <message>
        <source>Issue a new sync token for %1 (%2)? The office&apos;s current token stops working at once.</source>
        <translation>为 %1（%2）签发新的同步令牌？该办事处现有令牌将立即失效。</translation>
    </message>
    <message>
        <source>Office %1: a new token is shown once</source>
        <translation>办事处 %1：新令牌只显示这一次</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for %1</source>
        <translation>%1 的新密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>再次输入</translation>
    </message>
    <message>
        <source>The user&apos;s sessions end: they sign in again with the new password.</source>
        <translation>该用户的登录将全部失效：需用新密码重新登录。</translation>
    </message>
    <message>
        <source>The password needs at least %1 characters.</source>
        <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <source>Save changes</source>
        <translation>保存更改</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>撤销更改</translation>
    </message>
    <message>
        <source>Double-click a value to change it. Bold values differ from the default; every change is in the audit log.</source>
        <translation>双击数值即可修改。粗体表示与默认值不同；每次更改都记入审计日志。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
</context>
<context>
    <name>TokenDialog</name>
    <message>
        <source>Sync token of office %1</source>
        <translation>办事处 %1 的同步令牌</translation>
    </message>
    <message>
        <source>Give this token to the office&apos;s sync agent (yingyan sync login). It is shown only now: the server keeps only its fingerprint.</source>
        <translation>请将此令牌交给该办事处的同步程序（yingyan sync login）。令牌只显示这一次：服务器只保存其指纹。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save to a file…</source>
        <translation>保存到文件…</translation>
    </message>
    <message>
        <source>Save the token</source>
        <translation>保存令牌</translation>
    </message>
    <message>
        <source>Saved to %1 (readable only by you)</source>
        <translation>已保存到 %1（仅您本人可读）</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Edit user</source>
        <translation>修改用户</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>office codes, separated by commas</source>
        <translation>办事处编码，用逗号分隔</translation>
    </message>
    <message>
        <source>Known offices: %1</source>
        <translation>已有办事处：%1</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name shown</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Offices</source>
        <translation>所属办事处</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Give a user name.</source>
        <translation>请填写用户名。</translation>
    </message>
    <message>
        <source>The password needs at least %1 characters.</source>
        <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Add a user…</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <source>Role and offices…</source>
        <translation>角色和办事处…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>%1 users</source>
        <translation>%1 个用户</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>User %1 added</source>
        <translation>已新增用户 %1</translation>
    </message>
    <message>
        <source>User %1 changed</source>
        <translation>已修改用户 %1</translation>
    </message>
    <message>
        <source>User %1 enabled</source>
        <translation>已启用用户 %1</translation>
    </message>
    <message>
        <source>Disable user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Disable %1? They are signed out everywhere and cannot sign in until enabled again.</source>
        <translation>停用 %1？该用户将在所有地方退出登录，重新启用前无法登录。</translation>
    </message>
    <message>
        <source>User %1 disabled</source>
        <translation>已停用用户 %1</translation>
    </message>
    <message>
        <source>Password of %1 changed; %2 sessions ended</source>
        <translation>%1 的密码已修改；%2 个登录已失效</translation>
    </message>
</context>
<context>
    <name>YearView</name>
    <message>
        <source>Mon</source>
        <translation>一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>日</translation>
    </message>
    <message>
        <source>%1-%2</source>
        <translation>%1 年 %2 月</translation>
    </message>
</context>
</TS>
