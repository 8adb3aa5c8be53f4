<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraListModel</name>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="64"/>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="65"/>
        <source>Office / window</source>
        <translation>办事处 / 窗口</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="66"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="83"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="85"/>
        <source>not shown</source>
        <translation>未上墙</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <location filename="../../desktop/video/tile.py" line="228"/>
        <source>Empty tile</source>
        <translation>空窗格</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="234"/>
        <source>main</source>
        <translation>主码流</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="234"/>
        <source>sub</source>
        <translation>子码流</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="239"/>
        <source>RED ALERT {rule}</source>
        <translation>红色警示 {rule}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="241"/>
        <source>case {case}</source>
        <translation>办件 {case}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="243"/>
        <source>+{n} more</source>
        <translation>另有 {n} 条</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="248"/>
        <source>Drag a camera here</source>
        <translation>将摄像机拖到此处</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="250"/>
        <source>Camera disabled</source>
        <translation>摄像机已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="253"/>
        <source>This VLC has no RTSP client (live555). Install the full VLC build with RTSP support, or configure an HTTP or RTP stream for this camera.</source>
        <translation>此 VLC 没有 RTSP 客户端（live555）。请安装带 RTSP 支持的完整版 VLC，或为该摄像机配置 HTTP 或 RTP 流。</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="256"/>
        <source>No signal, reconnecting…</source>
        <translation>无信号，正在重连…</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="270"/>
        <source>{fps:.0f} fps</source>
        <translation>{fps:.0f} 帧/秒</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="271"/>
        <source>last frame {age:.0f} s ago</source>
        <translation>末帧 {age:.0f} 秒前</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="272"/>
        <source>no frame yet</source>
        <translation>尚无画面</translation>
    </message>
</context>
<context>
    <name>TileState</name>
    <message>
        <location filename="../../desktop/video/tile.py" line="56"/>
        <source>no camera</source>
        <translation>无摄像机</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="57"/>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="58"/>
        <source>playing</source>
        <translation>播放中</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="59"/>
        <source>stalled</source>
        <translation>卡顿</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="60"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="61"/>
        <source>unsupported</source>
        <translation>不支持</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../desktop/video/wall.py" line="431"/>
        <source>Snapshot of {camera} stored as evidence: {path} · SHA-256 {sha}</source>
        <translation>{camera} 的截图已存证：{path} · SHA-256 {sha}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="355"/>
        <source>Tile {n} has no picture to take</source>
        <translation>窗格 {n} 没有可截取的画面</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="432"/>
        <source>Back to layout</source>
        <translation>返回布局</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="432"/>
        <source>Fill the wall</source>
        <translation>单画面全屏</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="435"/>
        <source>Reconnect now</source>
        <translation>立即重连</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="436"/>
        <source>Snapshot as evidence</source>
        <translation>截图取证</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="439"/>
        <source>Clear tile</source>
        <translation>清空窗格</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="442"/>
        <source>Stop this tile&apos;s tour</source>
        <translation>停止此窗格轮巡</translation>
    </message>
    <message>
        <location filename="../../desktop/video/wall.py" line="445"/>
        <source>Tour all cameras in this tile</source>
        <translation>在此窗格轮巡全部摄像机</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../desktop/video/window.py" line="71"/>
        <source>Yingyan video wall</source>
        <translation>鹰眼 视频墙</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="82"/>
        <source>Filter cameras, offices, windows…</source>
        <translation>筛选摄像机、办事处、窗口…</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="103"/>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="108"/>
        <source>Wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="113"/>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="116"/>
        <source>Save view…</source>
        <translation>保存视图…</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="118"/>
        <source>Tour</source>
        <translation>轮巡</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="121"/>
        <source>Snapshot as evidence</source>
        <translation>截图取证</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="124"/>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="165"/>
        <source>View: {name}</source>
        <translation>视图：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="195"/>
        <source>Save view</source>
        <translation>保存视图</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="195"/>
        <source>Name of this view:</source>
        <translation>视图名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="200"/>
        <source>View saved: {name}</source>
        <translation>视图已保存：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="249"/>
        <source>playing {p}/{n} · no signal {o} · red alerts {a}</source>
        <translation>播放 {p}/{n} · 无信号 {o} · 红色警示 {a}</translation>
    </message>
</context>
</TS>
